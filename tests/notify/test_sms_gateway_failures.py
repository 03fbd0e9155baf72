"""The gateway's answer decides: 429 and 5xx are retried later, other 4xx are final."""

from __future__ import annotations

import pytest

from securact.notify.sms import HttpGatewayBackend, SmsPermanentError, SmsTransientError
from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import SmsGateway


def send(gateway: SmsGateway) -> str:
    backend = HttpGatewayBackend(gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=5)
    return backend.send("+33612345678", "Bonjour")


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_overload_and_server_errors_are_transient(sms_gateway: SmsGateway, status: int) -> None:
    sms_gateway.answer(status, {"message": "Service indisponible"})

    with pytest.raises(SmsTransientError) as raised:
        send(sms_gateway)

    assert raised.value.message == (
        f"La passerelle SMS est indisponible (HTTP {status} : Service indisponible) ; "
        "nouvel essai plus tard."
    )


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_permanent(sms_gateway: SmsGateway, status: int) -> None:
    sms_gateway.answer(status, {"error": "invalid recipient"})

    with pytest.raises(SmsPermanentError) as raised:
        send(sms_gateway)

    assert raised.value.message == (
        f"La passerelle SMS a refusé le message (HTTP {status} : invalid recipient)."
    )


def test_a_refusal_without_a_json_body_still_says_the_status(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(400, b"<html>Bad Request</html>")

    with pytest.raises(SmsPermanentError) as raised:
        send(sms_gateway)

    assert raised.value.message == "La passerelle SMS a refusé le message (HTTP 400)."
