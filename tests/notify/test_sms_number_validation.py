"""A number that cannot receive an SMS is refused before anything is sent."""

from __future__ import annotations

import pytest

from securact.notify.sms import ConsoleBackend, HttpGatewayBackend, SmsPermanentError
from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import SmsGateway


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("0612345678", "Numéro de téléphone invalide pour un SMS : « 0612345678 »."),
        ("+33 6 12 34 56 78", "Numéro de téléphone invalide pour un SMS : « +33 6 12 34 56 78 »."),
        ("+3361234", "Numéro de téléphone invalide pour un SMS : « +3361234 »."),
        ("", "Aucun numéro de téléphone pour le SMS."),
        ("+33142345678", "Le numéro +33142345678 est une ligne fixe : il ne reçoit pas de SMS."),
    ],
)
def test_invalid_numbers_are_refused_without_a_request(
    sms_gateway: SmsGateway, number: str, reason: str
) -> None:
    backend = HttpGatewayBackend(sms_gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=5)

    with pytest.raises(SmsPermanentError) as raised:
        backend.send(number, "Bonjour")
    assert raised.value.message == reason
    with pytest.raises(SmsPermanentError):
        ConsoleBackend().send(number, "Bonjour")

    assert sms_gateway.requests == []


@pytest.mark.parametrize("number", ["+33612345678", "+33756789012", "+590690001234"])
def test_french_mobiles_including_overseas_are_accepted(
    sms_gateway: SmsGateway, number: str
) -> None:
    backend = HttpGatewayBackend(sms_gateway.url, GATEWAY_TOKEN, "SECURACT", timeout=5)

    backend.send(number, "Bonjour")

    assert sms_gateway.requests[0].body["recipients"] == [number]
