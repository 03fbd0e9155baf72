"""The search covers the signed-in bailiff's practice: a colleague's significations are
found, another practice's never, whatever the criteria; recipients cannot search."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.factories import BailiffFactory, PracticeFactory
from tests.web.test_search_support import bailiff_named, declare, get, make_signification


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="search-col-reference">([^<]+)</th>', page)


@pytest.mark.django_db
def test_only_the_practice_significations_are_found(signed_in, identities):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    martin = declare(identities, "bailiff-martin")
    stranger = BailiffFactory(practice=PracticeFactory(code="7777", name="Étude voisine"))
    sent = datetime(2026, 3, 10, 9, tzinfo=UTC)
    make_signification(durand, "SAISIE-DURAND", sent_at=sent)
    make_signification(martin, "SAISIE-MARTIN", sent_at=sent)
    make_signification(stranger, "SAISIE-VOISINE", sent_at=sent)
    make_signification(stranger, "SAISIE-VOISINE-EN-COURS", sent_at=None)

    for criteria in (
        {},
        {"reference": "VOISINE"},
        {"destinataire": "banque test"},
        {"document": "7777_"},
        {"etat": "attente"},
        {"du": "2026-03-10", "au": "2026-03-10"},
    ):
        page = get(client, "/rechercher/", criteria).content.decode()
        assert not [row for row in _rows(page) if "VOISINE" in row], criteria
        assert "7777_SAISIE" not in page, criteria  # a deposited name of the other practice
    page = get(client, "/rechercher/", {"reference": "saisie"}).content.decode()
    assert sorted(_rows(page)) == ["SAISIE-DURAND", "SAISIE-MARTIN"]
    assert "1-2 sur 2" in page


@pytest.mark.django_db
def test_recipients_cannot_search(signed_in):
    client = signed_in("recipient-banque-test")
    response = get(client, "/rechercher/")
    assert response.status_code == 403
    assert "réservée aux commissaires de justice" in response.content.decode()
