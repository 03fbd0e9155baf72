"""An unreachable or silent gateway is a transient failure: the SMS is retried later."""

from __future__ import annotations

import time

import pytest

from securact.notify.sms import HttpGatewayBackend, SmsTransientError
from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import SmsGateway
from tests.processes import free_port


def test_nothing_listening_is_transient() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1/sms"
    backend = HttpGatewayBackend(url, GATEWAY_TOKEN, "SECURACT", timeout=5)

    with pytest.raises(SmsTransientError) as raised:
        backend.send("+33612345678", "Bonjour")

    assert raised.value.message == "Passerelle SMS injoignable ; nouvel essai plus tard."


def test_a_gateway_slower_than_the_timeout_is_transient(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(200, {"id": "late"}, delay=2.0)
    backend = HttpGatewayBackend(sms_gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=0.5)

    started = time.monotonic()
    with pytest.raises(SmsTransientError) as raised:
        backend.send("+33612345678", "Bonjour")

    assert time.monotonic() - started < 1.5
    assert "n'a pas répondu à temps" in raised.value.message
