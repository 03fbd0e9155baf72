"""The deadline task (enqueued by the deposit step with ``run_after``) is harmless early,
twice, or late: early it decides nothing and waits for the deadline again; twice it decides
once; late it still delivers at the deadline itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from securact.core import clock
from securact.delivery.models import DeliveryCertificate
from securact.delivery.tasks import decide_delivery, on_deadline_task, schedule_deadline
from securact.evidence.journal import entries_for
from securact.significations.models import DeliveryState, Signification
from tests.delivery.conftest import SENT, Deposits

SETTLE = timedelta(seconds=settings.SECURACT_DELIVERY_SETTLE_SECONDS)


def _deadline_tasks(signification_id: int) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path__endswith=".decide_delivery")
        if task.args_kwargs["args"] == [signification_id]
    ]


def test_scheduled_just_after_the_deadline(
    deposits: Deposits, django_capture_on_commit_callbacks
) -> None:
    signification = deposits.make(SENT)
    assert signification.delivery_deadline is not None
    with django_capture_on_commit_callbacks(execute=True):
        schedule_deadline(signification.pk, signification.delivery_deadline)
    [task] = _deadline_tasks(signification.pk)
    assert task.run_after == signification.delivery_deadline + SETTLE
    assert task.task_path == "securact.delivery.tasks.decide_delivery"


def test_early_run_decides_nothing_and_waits_again(
    deposits: Deposits, django_capture_on_commit_callbacks
) -> None:
    signification = deposits.make(clock.now())  # deadline tomorrow, by the real clock
    with django_capture_on_commit_callbacks(execute=True):
        decide_delivery.call(signification.pk)
    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.AWAITING
    assert signification.delivered_at is None
    assert not entries_for(signification.pk).exists()
    [again] = _deadline_tasks(signification.pk)
    assert again.run_after == signification.delivery_deadline + SETTLE  # type: ignore[operator]


def test_twice_decides_once(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    decide_delivery.call(signification.pk)
    decide_delivery.call(signification.pk)
    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.AT_HOME
    assert entries_for(signification.pk).filter(action="delivery.at_home").count() == 1
    assert DeliveryCertificate.objects.filter(pk=signification.pk).count() == 1


def test_late_run_delivers_at_the_deadline(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    deadline = SENT + timedelta(hours=24)
    delivery = on_deadline_task(signification.pk, now=deadline + timedelta(days=3, hours=5))
    assert delivery.decided
    assert Signification.objects.get(pk=signification.pk).delivered_at == deadline


def test_after_an_opening_it_changes_nothing(deposits: Deposits) -> None:
    from securact.delivery.services import record_opening

    signification = deposits.make(SENT)
    opened = SENT + timedelta(hours=23, minutes=59, seconds=59)
    record_opening(signification.pk, actor="b" * 64, at=opened)
    delivery = on_deadline_task(signification.pk, now=SENT + timedelta(hours=24))
    assert not delivery.decided
    assert (delivery.state, delivery.delivered_at) == (DeliveryState.IN_PERSON, opened)
