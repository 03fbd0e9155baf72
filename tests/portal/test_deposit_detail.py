"""A deposit's page (F8.1): its acts with their downloads, nature, practice and bailiff,
sending time, delivery deadline, state and opening time, and the history the recipient may
see (not the bailiff's own events)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils.html import escape

from securact.evidence import journal
from tests.portal.conftest import acts_of, get

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # 10:30 in Paris


@pytest.mark.django_db
def test_the_detail_shows_the_deposit_and_its_recipient_history(bank, deposits):
    signification = deposits.make("REF-DETAIL", SENT, files=("acte.pdf", "annexe.pdf"))
    journal.append(
        journal.Action.SUBMITTED,
        actor="ab" * 32,
        signification_id=signification.pk,
        data={"files": [{"name": "brouillon-interne.docx"}]},
    )
    journal.append(
        journal.Action.EMAIL_SENT,
        actor=journal.PLATFORM_ACTOR,
        signification_id=signification.pk,
        data={"to": "significations@banque-test.example"},
    )
    first, second = acts_of(signification)

    response = get(bank, f"/destinataire/depots/{signification.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "REF-DETAIL",
        first.deposited_name,
        second.deposited_name,
        escape(signification.nature.label),
        "SCP Durand &amp; Martin",
        "Claire DURAND",
        "10/03/2026 10:30:00",  # sent, Paris
        "11/03/2026 10:30:00",  # the 24 h deadline
        "Non ouvert",
        "pas encore ouvert",
        f'href="/destinataire/depots/{signification.pk}/actes/{first.pk}/"',
        f'href="/destinataire/depots/{signification.pk}/actes/{second.pk}/"',
        "Mail d&#x27;alerte pour dépôt transmis au destinataire BANQUE TEST",
        f"Fichier {first.deposited_name} déposé dans le coffre destinataire BANQUE TEST",
    ):
        assert text in page, text
    # The bailiff's own events stay on the bailiff's side.
    assert "brouillon-interne.docx" not in page
    assert "BANQUE_TEST__archive.zip" not in page
    # The act expects a return: the place for « Répondre » is there.
    assert "Votre réponse (retour d&#x27;acte)" in page or "Votre réponse (retour d'acte)" in page


@pytest.mark.django_db
def test_the_menu_is_the_recipients(bank, deposits):
    page = get(bank, "/destinataire/").content.decode()
    assert 'href="/destinataire/" aria-current="page">Mes significations</a>' in page
    assert 'href="/destinataire/parametres/"' in page
    assert "Signification d&#x27;actes" not in page and "Signification d'actes" not in page
    assert 'href="/rechercher/"' not in page
