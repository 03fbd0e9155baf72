"""Deposit alerts retried after the alert step (issue 10, item 8): a channel still pending
after ``SECURACT_ALERT_RETRY_HOURS`` is recorded as failed and shown; a duplicated retry does
nothing; a worker's start-up recovery schedules each pending channel once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from securact.evidence.journal import entries_for
from securact.notify.models import Notification
from securact.significations import alerts, process
from securact.significations.models import Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert_done(signification, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process.start(signification)
    Step.objects.filter(signification=signification, position__lte=4).update(state=Step.State.DONE)
    DBTaskResult.objects.all().delete()
    return signification


def _pending_email(signification, hours_ago: float) -> Notification:
    notification = Notification.objects.create(
        signification_id=signification.pk,
        channel="email",
        to="banque@example.test",
        attempts=5,
        last_error="Serveur de courriel injoignable ; nouvel essai plus tard.",
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return notification


def _retries() -> list[list[int]]:
    return [task.args_kwargs["args"] for task in DBTaskResult.objects.all()]


def test_a_channel_pending_past_the_retry_window_is_recorded_failed_and_shown(alert_done, settings):
    settings.SECURACT_ALERT_RETRY_HOURS = 48
    notification = _pending_email(alert_done, hours_ago=49)
    alerts.retry(notification.pk, 5)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "48 h" in notification.last_error
    step = Step.objects.get(signification=alert_done, name="alert")
    assert step.state == Step.State.DONE
    assert "48 h" in step.error and "en attente" not in step.error
    actions = list(entries_for(alert_done.pk).values_list("action", flat=True))
    assert actions.count("alert.email.failed") == 1


def test_a_retry_scheduled_for_an_older_attempt_does_nothing(alert_done):
    notification = _pending_email(alert_done, hours_ago=0)
    alerts.retry(notification.pk, 4)  # the chain moved on: attempt 5 is already counted
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.PENDING, 5)


def test_worker_start_schedules_each_pending_channel_once(
    alert_done, django_capture_on_commit_callbacks
):
    notification = _pending_email(alert_done, hours_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.recover_pending() == 1
    assert _retries() == [[notification.pk, 5]]
    alert = Step.objects.get(signification=alert_done, name="alert")
    alerts.refresh_warning(alert_done.pk)
    alert.refresh_from_db()
    assert "Alerte en attente (courriel)" in alert.error
