"""An address that cannot be one fails the alert at once, without talking to the server."""

from __future__ import annotations

import pytest

from securact.notify.models import Notification
from securact.notify.services import AlertPermanentError, send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["pas-une-adresse", "significations@", "a@b.example\nBcc: espion@example.org"],
)
def test_an_invalid_address_is_a_permanent_failure(smtp_server: SmtpServer, address: str) -> None:
    with pytest.raises(AlertPermanentError) as raised:
        send_deposit_email(**email_alert(to=address))

    assert raised.value.message.startswith("Adresse électronique invalide")
    record = Notification.objects.get(signification_id=4242, channel="email")
    assert record.status == Notification.Status.FAILED
    assert record.last_error == raised.value.message
    assert smtp_server.handler.envelopes == []
