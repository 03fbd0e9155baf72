"""The delivery with real ``securact worker`` processes: the deposit step enqueues the
deadline task for just after the deadline; an opening makes the act *à personne* and a
worker seals the delivery certificate into the bailiff's vault; after an outage a worker
that starts decides every overdue deposit at its own deadline and makes their certificates;
a running worker's periodic sweeper decides a deposit whose deadline task was lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from securact.core import clock
from securact.dashboard.models import Category, DashboardNotice
from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import record_opening
from securact.significations.models import DeliveryState, Signification
from securact.signing.services import (
    intermediate_certificates,
    trust_roots,
    validate_pades_offline,
)
from securact.vault.models import StoredFile
from securact.vault.storage import open_blob
from securact.workflow.cli import ServeRequest, serve
from tests.conftest import TEST_ROOT
from tests.delivery.conftest import RECIPIENT_ACTOR, Deposits, bailiff_with_vault

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BANQUE_TEST = "99999001300016"


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 90) -> None:
    """Poll the database for what another process does (this process never sleeps on a
    delivery clock: the times it checks are the recorded ones)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not done within {timeout} s")


def _certificate_done(pk: int) -> Callable[[], bool]:
    return lambda: DeliveryCertificate.objects.filter(pk=pk, stored_file__isnull=False).exists()


def _served(declared_bailiff, pdf: Path, tmp_path: Path) -> Signification:
    pin_file = tmp_path / "pin"
    pin_file.write_text(declared_bailiff.record["pin"])
    pin_file.chmod(0o600)
    result = serve(
        ServeRequest(
            bailiff_cert=Path(declared_bailiff.cert),
            recipient_siret=BANQUE_TEST,
            nature_code="mainlevee",
            reference="REMISE-E2E-1",
            pin_file=pin_file,
            files=[pdf],
            timeout=240,
        )
    )
    assert result.succeeded, result.as_dict()
    return Signification.objects.get(pk=result.signification_id)


def _validates(stored: StoredFile, tmp_path: Path) -> None:
    pdf = tmp_path / stored.name
    with open_blob(stored.sha256) as blob:
        pdf.write_bytes(blob.read())
    report = validate_pades_offline(pdf, trust_roots(), intermediate_certificates())
    assert report.ok, report.detail


def test_served_act_opened_in_time_is_certified_by_a_worker(
    declared_bailiff, acts, workers, tmp_path
) -> None:
    workers.start(1)
    signification = _served(declared_bailiff, acts[0], tmp_path)
    deadline = signification.delivery_deadline
    assert signification.sent_at is not None and deadline is not None
    assert deadline == signification.sent_at + timedelta(hours=24)
    scheduled = [
        task.run_after
        for task in DBTaskResult.objects.filter(task_path="securact.delivery.tasks.decide_delivery")
        if task.args_kwargs["args"] == [signification.pk]
    ]
    settle = timedelta(seconds=settings.SECURACT_DELIVERY_SETTLE_SECONDS)
    assert scheduled == [deadline + settle]

    opened = signification.sent_at + timedelta(minutes=7)
    delivery = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=opened)
    assert (delivery.state, delivery.delivered_at) == (DeliveryState.IN_PERSON, opened)

    _wait_for(_certificate_done(signification.pk), "the worker's delivery certificate")
    record = DeliveryCertificate.objects.select_related("stored_file").get(pk=signification.pk)
    assert record.stored_file is not None
    first = signification.acts.get(position=1).deposited_name
    assert record.stored_file.name == first.removesuffix(".pdf") + "_REMISE.pdf"
    _validates(record.stored_file, tmp_path)
    notices = DashboardNotice.objects.filter(signification=signification)
    assert notices.get(category=Category.IN_PERSON).viewed_at is None
    assert notices.get(category=Category.AWAITING).resolved_at is not None


def test_worker_starting_after_an_outage_decides_each_at_its_deadline(workers, tmp_path) -> None:
    deposits = Deposits(tmp_path)
    now = clock.now()
    overdue = [
        deposits.make(now - timedelta(hours=hours), bailiff=bailiff_with_vault(), stored=True)
        for hours in (25, 29, 36)
    ]
    workers.start(1)  # it sweeps before taking tasks
    for signification in overdue:
        _wait_for(_certificate_done(signification.pk), f"certificate of {signification.pk}")
        signification.refresh_from_db()
        assert signification.delivery_state == DeliveryState.AT_HOME
        assert signification.delivered_at == signification.delivery_deadline
        record = DeliveryCertificate.objects.select_related("stored_file").get(pk=signification.pk)
        assert record.stored_file is not None
        assert DashboardNotice.objects.filter(
            signification=signification, category=Category.AT_HOME
        ).exists()
    _validates(record.stored_file, tmp_path)


def test_periodic_sweep_decides_a_deposit_whose_task_was_lost(workers, tmp_path) -> None:
    workers.env.update(SECURACT_DELIVERY_SWEEP_SECONDS="0.5", SECURACT_DELIVERY_SETTLE_SECONDS="0")
    log = TEST_ROOT / "worker-0.log"
    offset = log.stat().st_size if log.exists() else 0
    workers.start(1)
    # Its start-up sweep is over once django-tasks' loop starts: from then on only the
    # periodic sweeper can decide.
    _wait_for(lambda: b"Starting worker" in log.read_bytes()[offset:], "the worker's loop")
    deposits = Deposits(tmp_path)
    # Deadline one second from now, and no deadline task (as if it had been lost).
    signification = deposits.make(
        clock.now() - timedelta(hours=24) + timedelta(seconds=1),
        bailiff=bailiff_with_vault(),
        stored=True,
    )
    assert not DBTaskResult.objects.filter(task_path__endswith=".decide_delivery").exists()
    _wait_for(
        lambda: Signification.objects.filter(
            pk=signification.pk, delivery_state=DeliveryState.AT_HOME
        ).exists(),
        "the periodic sweep",
        timeout=30,
    )
    signification.refresh_from_db()
    assert signification.delivered_at == signification.delivery_deadline
