"""A gateway refusal (HTTP 400) fails the SMS alert for good; the email is not affected."""

from __future__ import annotations

import pytest

from securact.notify.models import Notification
from securact.notify.services import AlertPermanentError, send_deposit_email, send_deposit_sms
from tests.notify.alerts import email_alert, sms_alert
from tests.notify.doubles import SmsGateway, SmtpServer


@pytest.mark.django_db
def test_a_400_fails_the_sms_alert(sms_gateway: SmsGateway, smtp_server: SmtpServer) -> None:
    sms_gateway.answer(400, {"message": "recipient blacklisted"})

    with pytest.raises(AlertPermanentError) as raised:
        send_deposit_sms(**sms_alert())
    email = send_deposit_email(**email_alert())

    assert raised.value.message == (
        "La passerelle SMS a refusé le message (HTTP 400 : recipient blacklisted)."
    )
    sms = Notification.objects.get(signification_id=4242, channel="sms")
    assert sms.status == Notification.Status.FAILED
    assert sms.last_error == raised.value.message
    assert sms.provider_id == ""
    assert email.status == Notification.Status.SENT
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_an_invalid_number_fails_the_sms_alert_without_a_request(sms_gateway: SmsGateway) -> None:
    with pytest.raises(AlertPermanentError):
        send_deposit_sms(**sms_alert(to="01 42 34 56 78"))

    assert Notification.objects.get().status == Notification.Status.FAILED
    assert sms_gateway.requests == []
