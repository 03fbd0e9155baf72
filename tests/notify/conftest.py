"""Fixtures of the alert tests: SMTP servers (up, down, refusing) and the SMS gateway."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import LazySettings

from tests.notify.alerts import GATEWAY_TOKEN
from tests.notify.doubles import RecordingHandler, RefusingHandler, SmsGateway, SmtpServer
from tests.processes import free_port


def _smtp_settings(settings: LazySettings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_down(settings: LazySettings) -> Iterator[SmtpServer]:
    """The configured SMTP port has nothing listening; ``start()`` brings a server up."""
    server = SmtpServer(port=free_port())
    _smtp_settings(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_down: SmtpServer) -> SmtpServer:
    """A real SMTP server (aiosmtpd) that accepts and keeps every message."""
    smtp_down.start()
    return smtp_down


@pytest.fixture
def slow_smtp_server(settings: LazySettings) -> Iterator[SmtpServer]:
    """A real SMTP server that takes a second to accept each message."""
    server = SmtpServer(port=free_port(), handler=RecordingHandler(delay=1.0))
    _smtp_settings(settings, server.port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def refusing_smtp(settings: LazySettings) -> Iterator[Callable[[str], SmtpServer]]:
    """Start a real SMTP server answering every RCPT TO with the given reply."""
    servers: list[SmtpServer] = []

    def start(reply: str) -> SmtpServer:
        server = SmtpServer(port=free_port(), handler=RefusingHandler(reply))
        _smtp_settings(settings, server.port)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sms_gateway(settings: LazySettings) -> Iterator[SmsGateway]:
    """The SMS operator's test double, configured as the platform's HTTP gateway."""
    gateway = SmsGateway()
    gateway.start()
    settings.SECURACT_SMS_BACKEND = "http"
    settings.SECURACT_SMS_GATEWAY_URL = gateway.url
    settings.SECURACT_SMS_GATEWAY_TOKEN = GATEWAY_TOKEN
    settings.SECURACT_SMS_SENDER = "SECURACT"
    yield gateway
    gateway.stop()
