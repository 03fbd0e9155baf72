"""A failed alert can be sent again once the cause is fixed (an operator's retry)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import LazySettings

from securact.notify.models import Notification
from securact.notify.services import AlertPermanentError, send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db
def test_a_corrected_address_sends_the_failed_alert_once(
    smtp_server: SmtpServer,
    refusing_smtp: Callable[[str], SmtpServer],
    settings: LazySettings,
) -> None:
    refusing = refusing_smtp("550 5.1.1 User unknown")  # now the configured server
    with pytest.raises(AlertPermanentError):
        send_deposit_email(**email_alert(to="ancienne@banque-test.example"))
    assert Notification.objects.get().status == Notification.Status.FAILED

    # The address was corrected and the mail goes through a server that accepts it.
    settings.EMAIL_PORT = smtp_server.port
    notification = send_deposit_email(**email_alert(to="nouvelle@banque-test.example"))

    assert notification.status == Notification.Status.SENT
    assert notification.to == "nouvelle@banque-test.example"
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert refusing.messages == []
    assert [message["To"] for message in smtp_server.messages] == ["nouvelle@banque-test.example"]
