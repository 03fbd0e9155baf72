"""The scheduled fixity audit in the workers: one audit a period (SECURACT_VAULT_AUDIT_HOURS)
of a share of the files (SECURACT_VAULT_AUDIT_SHARE), claimed by exactly one worker."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from securact.vault.audit_schedule import (
    claim,
    run_scheduled_audit,
    scheduled_sample,
    start_vault_auditor,
)
from securact.vault.journaling import VaultAction
from securact.vault.models import FixityAudit, StoredFile
from tests.vault.fixity_support import TwoVaults, entries, make_vault, put, two_vaults

NOON = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def files(settings, tmp_path) -> TwoVaults:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    settings.SECURACT_VAULT_AUDIT_HOURS = 24
    settings.SECURACT_VAULT_AUDIT_SHARE = 0.1
    return two_vaults(tmp_path / "work")


@pytest.mark.django_db
def test_one_audit_a_period_of_a_share_of_the_files(files, settings, tmp_path):
    vault = make_vault()
    for n in range(15):  # 20 files in all: a tenth is 2
        put(vault, f"f{n}.pdf", f"contenu {n}".encode(), tmp_path / "work")

    report = run_scheduled_audit(NOON)

    assert report is not None
    audit = report.audit
    assert (audit.trigger, audit.sample, audit.checked) == ("scheduled", 2, 2)
    assert run_scheduled_audit(NOON + timedelta(hours=11)) is None  # same day: done
    assert run_scheduled_audit(NOON + timedelta(hours=12)) is not None  # next day (UTC)
    assert FixityAudit.objects.count() == 2
    assert entries(VaultAction.AUDITED)[-1].data["trigger"] == "scheduled"


@pytest.mark.django_db
def test_a_share_of_1_audits_every_file_and_0_hours_none(files, settings):
    settings.SECURACT_VAULT_AUDIT_SHARE = 1
    assert scheduled_sample() is None
    report = run_scheduled_audit(NOON)
    assert report is not None and report.audit.checked == 5

    settings.SECURACT_VAULT_AUDIT_HOURS = 0
    assert run_scheduled_audit(NOON + timedelta(days=3)) is None
    assert start_vault_auditor(0.01) is None


@pytest.mark.django_db
def test_at_least_one_file_however_small_the_share(files, settings):
    settings.SECURACT_VAULT_AUDIT_SHARE = 0.01
    assert scheduled_sample() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_audit(files):
    """Workers racing for the same period: exactly one claims it."""
    barrier = threading.Barrier(4)
    claimed: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            audit = claim(NOON)
            if audit is not None:
                claimed.append(audit.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(claimed) == 1
    assert FixityAudit.objects.filter(trigger="scheduled").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_auditor_thread_audits_and_stops_with_the_worker(files, settings):
    settings.SECURACT_VAULT_AUDIT_SHARE = 1
    auditor = start_vault_auditor(0.05)
    assert auditor is not None
    try:
        deadline = time.monotonic() + 10
        while not FixityAudit.objects.filter(finished_at__isnull=False).exists():
            assert time.monotonic() < deadline, "no scheduled audit"
            time.sleep(0.05)
    finally:
        auditor.stop()
    assert not auditor.is_alive()
    assert not StoredFile.objects.filter(fixity_state=StoredFile.Fixity.UNCHECKED).exists()


@pytest.mark.django_db
def test_a_stopping_worker_ends_its_audit_early_and_says_so(files, settings):
    settings.SECURACT_VAULT_AUDIT_SHARE = 1
    stop = threading.Event()
    stop.set()

    report = run_scheduled_audit(NOON, stop=stop)

    assert report is not None and report.interrupted
    assert report.audit.finished_at is not None and report.audit.checked == 0
    assert entries(VaultAction.AUDITED)[-1].data["interrupted"] is True


@pytest.mark.django_db(transaction=True)
def test_the_worker_starts_the_auditor_and_stops_it(monkeypatch, settings):
    from securact.workflow.management.commands import worker

    started: list[float] = []
    stopped: list[bool] = []

    class FakeAuditor:
        def stop(self) -> None:
            stopped.append(True)

    def fake_start(poll: float) -> FakeAuditor:
        started.append(poll)
        return FakeAuditor()

    settings.SECURACT_DELIVERY_SWEEP_SECONDS = 42
    monkeypatch.setattr(worker, "start_sweeper", lambda period: None)
    monkeypatch.setattr(worker, "start_draft_cleaner", lambda period: None)
    monkeypatch.setattr(worker, "start_vault_auditor", fake_start)
    call_command("worker", batch=True)

    assert started == [42] and stopped == [True]
