"""HttpGatewayBackend speaks the gateway contract: JSON POST, bearer token, operator id back."""

from __future__ import annotations

from securact.notify.sms import HttpGatewayBackend
from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import SmsGateway


def backend(gateway: SmsGateway) -> HttpGatewayBackend:
    return HttpGatewayBackend(gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=5)


def test_a_message_is_posted_as_json_with_the_bearer_token(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(201, {"id": "OP-7781", "status": "queued"})

    message_id = backend(sms_gateway).send("+33612345678", "Acte déposé, réf. X-1.")

    assert message_id == "OP-7781"
    assert len(sms_gateway.requests) == 1
    request = sms_gateway.requests[0]
    assert request.method == "POST"
    assert request.path == "/v1/sms"
    assert request.headers["authorization"] == f"Bearer {GATEWAY_TOKEN}"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.body == {
        "sender": "SECURACT",
        "recipients": ["+33612345678"],
        "text": "Acte déposé, réf. X-1.",
    }


def test_a_numeric_operator_id_is_returned_as_text(sms_gateway: SmsGateway) -> None:
    sms_gateway.answer(200, {"id": 90817})

    assert backend(sms_gateway).send("+33612345678", "Bonjour") == "90817"


def test_the_token_stays_out_of_the_backend_repr(sms_gateway: SmsGateway) -> None:
    assert GATEWAY_TOKEN not in repr(backend(sms_gateway))
