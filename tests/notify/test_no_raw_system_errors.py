"""Issue 9, item 6: the reasons shown to users (a step's error on the progress and detail
pages, an alert's last error) are French sentences, never a raw system error such as
« [Errno 111] Connection refused » or « timed out »; the raw error goes to the log."""

from __future__ import annotations

import logging

import pytest

from securact.notify.models import Notification
from securact.notify.services import AlertTransientError, send_deposit_email
from securact.notify.sms import HttpGatewayBackend, SmsTransientError
from tests.notify.alerts import GATEWAY_TOKEN, email_alert
from tests.notify.doubles import SmsGateway, SmtpServer
from tests.processes import free_port

RAW = ("[Errno", "Connection refused", "timed out", "Errno")


def _assert_french_only(text: str) -> None:
    assert text
    for raw in RAW:
        assert raw not in text, text


@pytest.mark.django_db
def test_smtp_down_is_said_in_french_without_the_system_error(smtp_down: SmtpServer, caplog):
    with caplog.at_level(logging.WARNING), pytest.raises(AlertTransientError) as raised:
        send_deposit_email(**email_alert())
    assert raised.value.message == "Serveur de courriel injoignable ; nouvel essai plus tard."
    _assert_french_only(Notification.objects.get().last_error)
    assert "Connection refused" in caplog.text  # the raw error is logged instead


def test_sms_gateway_down_is_said_in_french_without_the_system_error(caplog) -> None:
    backend = HttpGatewayBackend(
        f"http://127.0.0.1:{free_port()}/v1/sms", GATEWAY_TOKEN, "SECURACT", timeout=5
    )
    with caplog.at_level(logging.WARNING), pytest.raises(SmsTransientError) as raised:
        backend.send("+33612345678", "Bonjour")
    assert raised.value.message == "Passerelle SMS injoignable ; nouvel essai plus tard."
    assert "Connection refused" in caplog.text


def test_a_silent_sms_gateway_is_said_in_french(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(200, {"id": "late"}, delay=2.0)
    backend = HttpGatewayBackend(sms_gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=0.5)
    with pytest.raises(SmsTransientError) as raised:
        backend.send("+33612345678", "Bonjour")
    assert raised.value.message == (
        "La passerelle SMS n'a pas répondu à temps ; nouvel essai plus tard."
    )
