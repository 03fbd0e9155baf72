"""The console backend (the demo) writes the SMS to the log and returns an id."""

from __future__ import annotations

import logging

import pytest
from django.conf import LazySettings

from securact.notify.models import Notification
from securact.notify.services import send_deposit_sms
from securact.notify.sms import ConsoleBackend
from tests.notify.alerts import sms_alert


def test_the_console_backend_logs_the_sms_and_returns_an_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="securact.notify.sms"):
        first = ConsoleBackend().send("+33612345678", "Acte déposé, réf. X-1.")
        second = ConsoleBackend().send("+33612345678", "Acte déposé, réf. X-2.")

    assert first.startswith("console-")
    assert first != second
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == f"SMS (console) id={first} to=+33612345678 text='Acte déposé, réf. X-1.'"
    assert len(messages) == 2


@pytest.mark.django_db
def test_the_demo_sends_sms_alerts_to_the_log(
    settings: LazySettings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SECURACT_SMS_BACKEND = "console"

    with caplog.at_level(logging.INFO, logger="securact.notify"):
        notification = send_deposit_sms(**sms_alert())

    assert notification.status == Notification.Status.SENT
    assert notification.provider_id.startswith("console-")
    assert any(
        notification.provider_id in record.getMessage() and "SAT-2025-0117" in record.getMessage()
        for record in caplog.records
        if record.name == "securact.notify.sms"
    )
