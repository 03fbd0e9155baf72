"""SECURACT_SMS_BACKEND picks the backend; a wrong configuration stops the start."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import LazySettings
from django.core.exceptions import ImproperlyConfigured

from securact.notify.sms import ConsoleBackend, HttpGatewayBackend, get_sms_backend


def test_console_is_the_default(settings: LazySettings) -> None:
    settings.SECURACT_SMS_BACKEND = "console"

    assert isinstance(get_sms_backend(), ConsoleBackend)


def test_http_builds_the_gateway_backend_from_the_settings(settings: LazySettings) -> None:
    settings.SECURACT_SMS_BACKEND = "http"
    settings.SECURACT_SMS_GATEWAY_URL = "https://sms.operateur.example/v1/sms"
    settings.SECURACT_SMS_GATEWAY_TOKEN = "secret"
    settings.SECURACT_SMS_SENDER = "ETUDE"
    settings.SECURACT_SMS_TIMEOUT = 3

    backend = get_sms_backend()

    assert isinstance(backend, HttpGatewayBackend)
    assert (backend.url, backend.sender, backend.timeout) == (
        "https://sms.operateur.example/v1/sms",
        "ETUDE",
        3.0,
    )


def test_an_unknown_backend_name_is_a_configuration_error(settings: LazySettings) -> None:
    settings.SECURACT_SMS_BACKEND = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured) as raised:
        get_sms_backend()

    assert str(raised.value) == (
        "SECURACT_SMS_BACKEND vaut « carrier-pigeon » ; valeurs possibles : console, http."
    )


def test_the_configuration_is_checked_when_the_app_starts(settings: LazySettings) -> None:
    settings.SECURACT_SMS_BACKEND = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        apps.get_app_config("notify").ready()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"SECURACT_SMS_GATEWAY_URL": ""}, "SECURACT_SMS_BACKEND=http demande"),
        ({"SECURACT_SMS_GATEWAY_URL": "sms.example/v1"}, "doit commencer par https://"),
        ({"SECURACT_SMS_GATEWAY_TOKEN": ""}, "jeton de la passerelle SMS"),
        ({"SECURACT_SMS_SENDER": "SECURACT-PLATEFORME"}, "de 1 à 11 caractères"),
        ({"SECURACT_SMS_SENDER": ""}, "de 1 à 11 caractères"),
    ],
)
def test_an_incomplete_http_gateway_is_a_configuration_error(
    settings: LazySettings, changes: dict[str, str], reason: str
) -> None:
    settings.SECURACT_SMS_BACKEND = "http"
    settings.SECURACT_SMS_GATEWAY_URL = "https://sms.operateur.example/v1/sms"
    settings.SECURACT_SMS_GATEWAY_TOKEN = "secret"
    settings.SECURACT_SMS_SENDER = "SECURACT"
    for name, value in changes.items():
        setattr(settings, name, value)

    with pytest.raises(ImproperlyConfigured, match=reason):
        get_sms_backend()
