"""Answers outside the contract are final failures, never retried (no second SMS)."""

from __future__ import annotations

import pytest

from securact.notify.sms import HttpGatewayBackend, SmsPermanentError
from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import SmsGateway


def send(gateway: SmsGateway) -> str:
    backend = HttpGatewayBackend(gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=5)
    return backend.send("+33612345678", "Bonjour")


@pytest.mark.parametrize(
    "body", [{}, {"id": ""}, {"id": None}, {"id": True}, [1, 2], b"OK", b"<html>portail</html>"]
)
def test_a_success_without_a_message_id_is_permanent(sms_gateway: SmsGateway, body: object) -> None:
    sms_gateway.answer(200, body)

    with pytest.raises(SmsPermanentError) as raised:
        send(sms_gateway)

    assert raised.value.message == (
        "Réponse inattendue de la passerelle SMS : pas d'identifiant de message."
    )


def test_a_redirect_is_not_followed_so_the_token_goes_nowhere_else(
    sms_gateway: SmsGateway,
) -> None:
    sms_gateway.answer(302, {}, headers={"Location": "/elsewhere"})

    with pytest.raises(SmsPermanentError) as raised:
        send(sms_gateway)

    assert "HTTP 302" in raised.value.message
    assert [request.path for request in sms_gateway.requests] == ["/v1/sms"]
