"""SMTP down: the alert waits (pending, attempts counted), then goes out exactly once."""

from __future__ import annotations

import pytest

from securact.notify.models import Notification
from securact.notify.services import AlertTransientError, send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db
def test_smtp_down_then_up_sends_exactly_once(smtp_down: SmtpServer) -> None:
    for attempt in (1, 2):
        with pytest.raises(AlertTransientError) as raised:
            send_deposit_email(**email_alert())
        assert raised.value.message.startswith("Serveur de courriel injoignable")
        assert raised.value.notification is not None
        record = Notification.objects.get(signification_id=4242, channel="email")
        assert record.status == Notification.Status.PENDING
        assert record.attempts == attempt
        assert record.last_error.startswith("Serveur de courriel injoignable")
        assert record.sent_at is None

    smtp_down.start()
    notification = send_deposit_email(**email_alert())

    assert len(smtp_down.messages) == 1
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""

    # The task runs again (a retry after a crash, a duplicate): nothing more is sent.
    again = send_deposit_email(**email_alert())
    assert len(smtp_down.messages) == 1
    assert again.pk == notification.pk
    assert again.attempts == 3
    assert again.provider_id == notification.provider_id
    assert Notification.objects.count() == 1
