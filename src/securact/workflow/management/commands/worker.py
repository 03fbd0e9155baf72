"""``securact worker``: a task worker for the service process.

Before taking tasks it puts back to ``pending`` the steps a dead worker left ``running``
(``process.recover_stalled``), retries the alerts still pending (``alerts.recover_pending``)
and sweeps the deliveries (every deposit past its deadline still
undecided is decided, every unfinished delivery certificate enqueued again); then it runs
django-tasks' database worker, with the delivery sweeper repeating in a thread — and the
abandoned drafts' cleaner in another (``significations.draft_expiry``), the vaults' fixity
audit in a third (``vault.audit_schedule``: one audit a period among all workers), the
journal's integration of pending entries into its Merkle tree in a fourth
(``evidence.integrator``, every few seconds), and its signed checkpoints in a fifth
(``evidence.checkpoint_schedule``: published when due, by one worker at a time), and the
jobs that apps above it register (``core.worker_jobs``: the EDI's webhook dispatcher). With an
empty queue it waits to be woken by the next enqueued step (``core.wake``), looking again
every ``wake.SAFETY_POLL`` seconds only as a safety net. However it stops (SIGTERM, SIGINT),
the LibreOffice it started is stopped with it, and an audit under way ends early."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands import db_worker

from securact.core import clock, wake, worker_jobs
from securact.delivery.services import sweep
from securact.delivery.sweeper import start_sweeper
from securact.documents.office import stop_office_converter
from securact.evidence.checkpoint_schedule import start_checkpoint_publisher
from securact.evidence.integrator import start_integrator
from securact.significations import alerts, process
from securact.significations.draft_expiry import expire_drafts, start_draft_cleaner
from securact.vault.audit_schedule import start_vault_auditor


class Command(BaseCommand):
    help = "Exécute les étapes des significations (worker de tâches)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="traite les tâches en attente puis s'arrête"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        os.umask(0o077)  # acts and personal data: private to the service user
        from securact.workflow import steps, steps_after_deposit  # noqa: F401

        recovered = process.recover_stalled()
        if recovered:
            self.stdout.write(f"{recovered} étape(s) reprise(s) après l'arrêt d'un worker.")
        pending_alerts = alerts.recover_pending()
        if pending_alerts:
            self.stdout.write(f"{pending_alerts} alerte(s) en attente relancée(s).")
        swept = sweep(now=clock.now())
        if swept.decided:
            self.stdout.write(f"{swept.decided} remise(s) décidée(s) à leur échéance.")
        start_sweeper(settings.SECURACT_DELIVERY_SWEEP_SECONDS)
        # Abandoned drafts expire (issue 9, item 3): now, then at the sweeper's pace.
        expire_drafts()
        start_draft_cleaner(settings.SECURACT_DELIVERY_SWEEP_SECONDS)
        # Fixity audits (issue 11, item 5): one a period among all the workers.
        auditor = start_vault_auditor(settings.SECURACT_DELIVERY_SWEEP_SECONDS)
        # The journal's tree (issue 12): entries an append's own integration skipped.
        integrator = start_integrator(settings.SECURACT_JOURNAL_INTEGRATE_SECONDS)
        # Signed checkpoints of the journal (issue 12): when due, one worker at a time.
        publisher = start_checkpoint_publisher()
        # What the apps above this command registered (the EDI's webhook dispatcher).
        jobs = worker_jobs.start_all()
        worker_options: dict[str, Any] = {"interval": wake.SAFETY_POLL, "no_startup_delay": True}
        if options["batch"]:
            worker_options["batch"] = True
        waiter = wake.Waiter(process.TASKS_CHANNEL)
        # django-tasks' worker sleeps ``interval`` on an empty queue: it waits for a wake
        # instead (its module's ``time`` is used for nothing else once started).
        setattr(db_worker, "time", _WakeableSleep(waiter))  # noqa: B010
        try:
            call_command("db_worker", **worker_options)
        finally:
            worker_jobs.stop_all(jobs)
            if integrator is not None:
                integrator.stop()
            if auditor is not None:
                auditor.stop()  # an audit under way ends early, recorded as such
            publisher.stop()
            waiter.close()
            stop_office_converter()


class _WakeableSleep:
    def __init__(self, waiter: wake.Waiter) -> None:
        self._waiter = waiter

    def sleep(self, seconds: float) -> None:
        self._waiter.wait(seconds)
