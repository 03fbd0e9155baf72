"""The alert email reaches a real SMTP server: French, who/what/for whom/when, a link, no act."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import LazySettings

from securact.notify.models import Notification
from securact.notify.services import send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db
def test_the_alert_email_tells_who_deposited_what_for_whom_when_and_where(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    settings.DEFAULT_FROM_EMAIL = "SECURACT <alertes@securact.example>"
    settings.TIME_ZONE = "UTC"  # the alert tells Paris time whatever the process's zone

    notification = send_deposit_email(**email_alert())

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["From"] == "SECURACT <alertes@securact.example>"
    assert message["To"] == "significations@banque-test.example"
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["significations@banque-test.example"]
    # Django folds a long encoded subject onto a continuation line; unfolding leaves a space.
    assert message["Subject"].strip() == (
        "[SECURACT] Acte déposé par Étude Martin & Associés — réf. SAT-2025-0117"
    )
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    for expected in (
        "Madame, Monsieur,",
        "Étude : Étude Martin & Associés",
        "Commissaire de justice : Maître Claire Martin",
        "Destinataire : Banque Test",
        "Nature de l'acte : Saisie-attribution",
        "Référence de dépôt : SAT-2025-0117",
        # 13:05 UTC on 15 January is 14:05 in Paris.
        "Date du dépôt : le mercredi 15 janvier 2025 à 14:05 (heure de Paris)",
        "  - 9991_SAT-2025-0117_20250115_140500.pdf",
        "https://securact.example/destinataire/significations/4242/",
    ):
        assert expected in text
    assert "13:05" not in text
    # The act itself never travels by email.
    assert list(message.iter_attachments()) == []
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.provider_id == message["Message-ID"]
    assert notification.to == "significations@banque-test.example"


@pytest.mark.django_db
def test_summer_deposits_are_told_in_paris_summer_time(
    smtp_server: SmtpServer, settings: LazySettings
) -> None:
    settings.TIME_ZONE = "America/New_York"
    send_deposit_email(**email_alert(deposited_at=datetime(2025, 7, 1, 22, 30, tzinfo=UTC)))

    body = smtp_server.messages[0].get_body(preferencelist=("plain",))
    assert body is not None
    # 22:30 UTC on 1 July is 00:30 on 2 July in Paris (UTC+2).
    assert "le mercredi 2 juillet 2025 à 00:30 (heure de Paris)" in body.get_content()
