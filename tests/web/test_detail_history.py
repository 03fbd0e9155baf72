"""The detail's *Historique*: every journal entry of the signification, dated in Paris, with a
French line per event (the message recorded with it when there is one), 10 a page, with a
filter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from securact.evidence import journal
from securact.evidence.journal import entries_for
from securact.significations.queries import PARIS
from tests.web.test_search_support import (
    FINGERPRINT,
    bailiff_named,
    get,
    make_signification,
    record_history,
)


def _history(page: str) -> str:
    return page.split('id="historique"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def served(signed_in):
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"), "HIST-1", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    record_history(signification)
    make_signification(bailiff_named("DURAND"), "AUTRE", sent_at=None)
    return client, signification


@pytest.mark.django_db
def test_every_entry_in_french_and_paris_time(served):
    client, signification = served
    history = _history(get(client, f"/significations/{signification.pk}/").content.decode())

    for line in (
        "Signification transmise pour le destinataire BANQUE TEST (fichier(s) : acte.pdf)",
        "Fichier 9991_HIST-1_20260117_140000.pdf (Procès-verbal de saisie attribution",
        "Mail d&#x27;alerte pour dépôt transmis au destinataire BANQUE TEST "
        "(significations@banque-test.example)",
        "Échec du SMS d&#x27;alerte au destinataire BANQUE TEST : Numéro de mobile refusé",
        "Création de l&#x27;attestation de dépôt",
    ):
        assert line in history
    entries = list(entries_for(signification.pk))
    assert len(entries) == 5
    assert "1-5 sur 5" in history
    for entry in entries:
        paris = timezone.localtime(entry.recorded_at, PARIS)
        utc = entry.recorded_at.astimezone(UTC)
        assert f">{paris:%d/%m/%Y %H:%M:%S}</time>" in history
        assert f">{utc:%d/%m/%Y %H:%M:%S}</time>" not in history  # Paris is never UTC


@pytest.mark.django_db
def test_ten_a_page_and_a_filter(served):
    client, signification = served
    for number in range(7):  # 12 entries in all
        journal.append(
            "alert.email.sent",
            actor=FINGERPRINT,
            signification_id=signification.pk,
            data={"to": f"relance-{number}@banque-test.example"},
        )
    url = f"/significations/{signification.pk}/"

    first = _history(get(client, url).content.decode())
    second = _history(get(client, url, {"hpage": "2"}).content.decode())
    filtered = _history(get(client, url, {"hfiltre": "relance-3"}).content.decode())

    assert "1-10 sur 12" in first
    assert first.count("<tr>") == 11  # header + 10 rows
    assert "11-12 sur 12" in second
    assert "relance-6@banque-test.example" in second
    assert "1-1 sur 1" in filtered
    assert "relance-3@banque-test.example" in filtered
    assert "relance-4@" not in filtered


@pytest.mark.django_db
def test_an_unknown_event_still_has_a_line(served):
    client, signification = served
    journal.append("vault.retention.extended", actor=FINGERPRINT, signification_id=signification.pk)
    history = _history(get(client, f"/significations/{signification.pk}/").content.decode())
    assert "Événement « vault.retention.extended »" in history
