"""The SMTP reply decides: 5xx is a permanent failure, 4xx is retried later."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from securact.notify.models import Notification
from securact.notify.services import (
    AlertPermanentError,
    AlertTransientError,
    send_deposit_email,
)
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db
def test_550_for_the_recipient_fails_the_alert(
    refusing_smtp: Callable[[str], SmtpServer],
) -> None:
    server = refusing_smtp("550 5.1.1 Recipient address rejected: User unknown")

    with pytest.raises(AlertPermanentError) as raised:
        send_deposit_email(**email_alert())

    assert raised.value.message == (
        "Le serveur de courriel a refusé le message "
        "(550 5.1.1 Recipient address rejected: User unknown)."
    )
    record = Notification.objects.get(signification_id=4242, channel="email")
    assert record.status == Notification.Status.FAILED
    assert record.attempts == 1
    assert record.last_error == raised.value.message
    assert record.sent_at is None
    assert server.messages == []


@pytest.mark.django_db
def test_450_for_the_recipient_is_retried_later(
    refusing_smtp: Callable[[str], SmtpServer],
) -> None:
    server = refusing_smtp("450 4.2.1 Mailbox temporarily unavailable")

    with pytest.raises(AlertTransientError) as raised:
        send_deposit_email(**email_alert())

    assert "450 4.2.1" in raised.value.message
    assert raised.value.message.endswith("nouvel essai plus tard.")
    record = Notification.objects.get(signification_id=4242, channel="email")
    assert record.status == Notification.Status.PENDING
    assert record.attempts == 1
    assert server.messages == []
