"""The SMS alert goes through the configured gateway once, retried while it is down."""

from __future__ import annotations

import pytest

from securact.notify.models import Notification
from securact.notify.services import AlertTransientError, send_deposit_sms
from tests.notify.alerts import GATEWAY_TOKEN, sms_alert
from tests.notify.doubles import SmsGateway


@pytest.mark.django_db
def test_the_sms_alert_records_the_operator_id(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(200, {"id": "OP-1"})

    notification = send_deposit_sms(**sms_alert())

    assert notification.channel == Notification.Channel.SMS
    assert notification.status == Notification.Status.SENT
    assert notification.provider_id == "OP-1"
    assert notification.to == "+33612345678"
    assert notification.sent_at is not None
    request = sms_gateway.requests[0]
    assert request.headers["authorization"] == f"Bearer {GATEWAY_TOKEN}"
    assert request.body == {
        "sender": "SECURACT",
        "recipients": ["+33612345678"],
        "text": (
            "SECURACT : acte déposé par Étude Martin & Associés, réf. SAT-2025-0117. "
            "A consulter sur https://securact.example/s/4242/"
        ),
    }


@pytest.mark.django_db
def test_a_second_call_after_success_sends_nothing(sms_gateway: SmsGateway) -> None:
    first = send_deposit_sms(**sms_alert())
    second = send_deposit_sms(**sms_alert())

    assert len(sms_gateway.requests) == 1
    assert second.pk == first.pk
    assert second.provider_id == first.provider_id
    assert second.attempts == 1


@pytest.mark.django_db
def test_a_gateway_503_is_retried_then_sent_once(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(503, {"message": "maintenance"})

    with pytest.raises(AlertTransientError) as raised:
        send_deposit_sms(**sms_alert())

    assert raised.value.message == (
        "La passerelle SMS est indisponible (HTTP 503 : maintenance) ; nouvel essai plus tard."
    )
    record = Notification.objects.get(signification_id=4242, channel="sms")
    assert record.status == Notification.Status.PENDING
    assert record.attempts == 1
    assert record.last_error == raised.value.message

    sms_gateway.answer(200, {"id": "OP-2"})
    notification = send_deposit_sms(**sms_alert())
    send_deposit_sms(**sms_alert())

    assert len(sms_gateway.requests) == 2  # the refused one and the accepted one
    assert notification.status == Notification.Status.SENT
    assert notification.provider_id == "OP-2"
    assert notification.attempts == 2
    assert notification.last_error == ""
