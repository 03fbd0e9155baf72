"""A worker killed while sending leaves the alert "sending": after the lease it is resent."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.conf import LazySettings
from django.utils import timezone

from securact.core.workers import worker_identity
from securact.notify.models import Notification
from securact.notify.services import AlertTransientError, send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


def claimed(seconds_ago: float) -> Notification:
    return Notification.objects.create(
        signification_id=4242,
        channel=Notification.Channel.EMAIL,
        to="significations@banque-test.example",
        status=Notification.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


@pytest.mark.django_db
def test_a_fresh_claim_by_another_worker_is_respected(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    settings.SECURACT_ALERT_LEASE_SECONDS = 300
    claimed(seconds_ago=60)

    with pytest.raises(AlertTransientError):
        send_deposit_email(**email_alert())

    assert smtp_server.messages == []
    record = Notification.objects.get()
    assert record.status == Notification.Status.SENDING
    assert record.attempts == 1


@pytest.mark.django_db
def test_a_claim_older_than_the_lease_is_taken_over_and_sent(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    settings.SECURACT_ALERT_LEASE_SECONDS = 300
    claimed(seconds_ago=301)

    notification = send_deposit_email(**email_alert())

    assert len(smtp_server.messages) == 1
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2


@pytest.mark.django_db
def test_a_fresh_claim_of_a_dead_worker_is_taken_over_at_once(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    """Issue 10, item 8: the worker that claimed the send was killed a moment ago; its
    lease is free now, not in five minutes."""
    settings.SECURACT_ALERT_LEASE_SECONDS = 300
    dead = subprocess.Popen(["true"])
    dead.wait()
    record = claimed(seconds_ago=1)
    Notification.objects.filter(pk=record.pk).update(
        claimed_by=f"{worker_identity().rpartition(':')[0]}:{dead.pid}"
    )

    notification = send_deposit_email(**email_alert())

    assert len(smtp_server.messages) == 1
    assert notification.status == Notification.Status.SENT
    assert notification.claimed_by == worker_identity()


@pytest.mark.django_db
def test_a_fresh_claim_of_a_live_worker_is_respected(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    settings.SECURACT_ALERT_LEASE_SECONDS = 300
    record = claimed(seconds_ago=1)
    Notification.objects.filter(pk=record.pk).update(claimed_by=worker_identity())

    with pytest.raises(AlertTransientError):
        send_deposit_email(**email_alert())

    assert smtp_server.messages == []
