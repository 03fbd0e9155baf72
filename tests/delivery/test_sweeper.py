"""The sweeper (issue 5, item 8): after an outage of hours, every deposit past its deadline
is decided *à domicile* at its own deadline — not at the time of the sweep — while decided,
not yet due, and just-due deposits (within the settling seconds) are left alone; the
certificates still to make are enqueued again. Also as ``securact sweep_deliveries``."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import record_opening, sweep
from securact.evidence.journal import entries_for
from securact.significations import process
from securact.significations.models import DeliveryState, Signification, Step
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits

NOW = SENT + timedelta(days=2)  # the machine comes back after the outage


def test_outage_of_hours_decides_each_at_its_own_deadline(deposits: Deposits) -> None:
    overdue = [
        deposits.make(NOW - timedelta(hours=24 + hours), rule="24h") for hours in (1, 3, 7, 11)
    ]
    overdue.append(deposits.make(NOW - timedelta(hours=30), rule="same-day"))
    opened = deposits.make(NOW - timedelta(hours=30))
    record_opening(opened.pk, actor=RECIPIENT_ACTOR, at=NOW - timedelta(hours=29))
    not_due = deposits.make(NOW - timedelta(hours=2))
    just_due = deposits.make(NOW - timedelta(hours=24, seconds=2))  # within the settle time

    report = sweep(now=NOW)

    assert report.decided == len(overdue)
    for signification in overdue:
        signification.refresh_from_db()
        assert signification.delivery_state == DeliveryState.AT_HOME
        assert signification.delivered_at == signification.delivery_deadline
        assert signification.delivered_at is not None and signification.delivered_at < NOW
        assert entries_for(signification.pk).filter(action="delivery.at_home").count() == 1
    assert Signification.objects.get(pk=opened.pk).delivery_state == DeliveryState.IN_PERSON
    for waiting in (not_due, just_due):
        assert Signification.objects.get(pk=waiting.pk).delivery_state == DeliveryState.AWAITING
    assert sweep(now=NOW).decided == 0  # a second sweep finds nothing more


def test_late_deadline_task_after_the_sweep_changes_nothing(deposits: Deposits) -> None:
    from securact.delivery.tasks import on_deadline_task

    signification = deposits.make(NOW - timedelta(hours=40))
    sweep(now=NOW)
    assert not on_deadline_task(signification.pk, now=NOW + timedelta(hours=1)).decided
    assert entries_for(signification.pk).filter(action="delivery.at_home").count() == 1


def test_decided_certificate_is_an_engine_step_recovered_at_worker_start(
    deposits: Deposits,
) -> None:
    lost = deposits.make(NOW - timedelta(hours=40))
    sweep(now=NOW)  # decided: its DELIVERY step is added, enqueued when that commits
    assert DeliveryCertificate.objects.get(pk=lost.pk).stored_file is None
    step = Step.objects.get(signification=lost, name=Step.Name.DELIVERY)
    assert step.state == Step.State.PENDING
    # A lost task: the engine's recovery (at worker start) enqueues the step again.
    assert process.recover_stalled() == 1


def test_command_sweeps_with_the_real_clock(deposits: Deposits) -> None:
    signification = deposits.make(SENT)  # March 2026: long past
    out = StringIO()
    call_command("sweep_deliveries", stdout=out)
    assert "1 remise(s) décidée(s)" in out.getvalue()
    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.AT_HOME
    assert signification.delivered_at == SENT + timedelta(hours=24)
