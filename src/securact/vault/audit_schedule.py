"""The scheduled fixity audit, in each ``securact worker`` (issue 11, item 5).

Time is cut into periods of ``SECURACT_VAULT_AUDIT_HOURS`` counted from the epoch (24 h:
from midnight UTC). Each period, one audit re-reads ``SECURACT_VAULT_AUDIT_SHARE`` of all the
stored files (at least one), those checked longest ago first, so that every file is checked
again within about ``period / share`` (ten days by default). ``0`` hours: no scheduled audit.

Several workers, on several machines, never run the same period's audit twice: a worker
claims the period by inserting the audit's row with ``slot`` = the period's number, which
the database keeps unique; the workers that lose the race do nothing until the next period.
A daemon thread looks every ``SECURACT_DELIVERY_SWEEP_SECONDS`` (the first time one such
interval after the worker started); a worker that stops ends its audit early, recorded as
such, so no audit is left half-done and silent.

Not a step of the engine: the engine runs work on one signification after an event (DESIGN,
"the one engine"); an audit concerns no signification, it is the platform's periodic
housekeeping, like the delivery sweeper and the drafts' cleaner beside it in the worker.
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from securact.vault.audit import AuditReport, run_audit
from securact.vault.models import FixityAudit, StoredFile

logger = logging.getLogger(__name__)

TRIGGER = "scheduled"


def period_seconds() -> float:
    return float(settings.SECURACT_VAULT_AUDIT_HOURS) * 3600


def current_slot(now: datetime) -> int | None:
    """The number of the period ``now`` falls in; None when scheduled audits are off."""
    period = period_seconds()
    if period <= 0:
        return None
    return int(now.timestamp() // period)


def scheduled_sample() -> int | None:
    """How many files this period's audit re-reads (None: all of them)."""
    share = float(settings.SECURACT_VAULT_AUDIT_SHARE)
    if share >= 1:
        return None
    total = StoredFile.objects.count()
    return max(1, math.ceil(total * max(share, 0.0)))


def claim(now: datetime | None = None) -> FixityAudit | None:
    """This worker's audit for the current period, or None when another worker claimed it
    (or scheduled audits are off)."""
    now = now or timezone.now()
    slot = current_slot(now)
    if slot is None or FixityAudit.objects.filter(slot=slot).exists():
        return None
    try:
        with transaction.atomic():
            return FixityAudit.objects.create(
                trigger=TRIGGER, slot=slot, sample=scheduled_sample(), started_at=now
            )
    except IntegrityError:  # another worker claimed the period between the two statements
        return None


def run_scheduled_audit(
    now: datetime | None = None, stop: threading.Event | None = None
) -> AuditReport | None:
    """Run this period's audit if no worker has; its report, or None."""
    audit = claim(now)
    if audit is None:
        return None
    return run_audit(audit, stop=stop)


class VaultAuditor(threading.Thread):
    def __init__(self, poll: float) -> None:
        super().__init__(name="vault-auditor", daemon=True)
        self.poll = poll
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.poll):
            try:
                run_scheduled_audit(stop=self._stopped)
            except Exception:  # the next look tries again; the worker keeps running
                logger.exception("scheduled vault audit failed")
            finally:
                connection.close()  # this thread's own connection, not kept idle

    def stop(self, timeout: float = 30) -> None:
        """Stop looking; an audit under way ends at its next content (waited for)."""
        self._stopped.set()
        if self.is_alive():
            self.join(timeout)


def start_vault_auditor(poll: float) -> VaultAuditor | None:
    """Start the auditor thread (looking every ``poll`` seconds, at most once a period)."""
    period = period_seconds()
    if period <= 0:
        return None
    auditor = VaultAuditor(min(poll, period))
    auditor.start()
    return auditor
