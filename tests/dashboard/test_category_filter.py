"""F2.2 filter box: words of the reference, file, recipient or event, case and accents
ignored; the count and paging follow the filter."""

from __future__ import annotations

import pytest

from securact.dashboard.services import category_page
from tests.dashboard.conftest import HTMX
from tests.factories import RecipientFactory


@pytest.fixture
def mixed(notices, bailiff):
    credit = RecipientFactory(name="CRÉDIT DÉMO DE L'EST")
    banque = RecipientFactory(name="BANQUE TEST")
    notices.make(bailiff, reference="SAISIE-2026-01", recipient=credit)
    notices.make(bailiff, reference="SAISIE-2026-02", recipient=banque)
    notices.make(bailiff, reference="MAINLEVEE-7", recipient=banque)
    return bailiff


def references(page):
    return sorted(row.reference for row in page.rows)


@pytest.mark.django_db
def test_filter_matches_any_column_ignoring_case_and_accents(mixed):
    assert references(category_page(mixed, "awaiting", filter_text="credit demo")) == [
        "SAISIE-2026-01"
    ]
    assert references(category_page(mixed, "awaiting", filter_text="Saisie")) == [
        "SAISIE-2026-01",
        "SAISIE-2026-02",
    ]
    filtered = category_page(mixed, "awaiting", filter_text="banque saisie")
    assert references(filtered) == ["SAISIE-2026-02"]
    assert filtered.total == 1
    assert category_page(mixed, "awaiting", filter_text="introuvable").total == 0


@pytest.mark.django_db
def test_filtered_table_keeps_the_filter_and_says_when_nothing_matches(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    notices.make(bailiff, reference="SAISIE-2026-01")
    notices.make(bailiff, reference="MAINLEVEE-7")

    page = client.get("/agenda/awaiting/?filtre=mainlevee", **HTMX).content.decode()
    assert "MAINLEVEE-7" in page and "SAISIE-2026-01" not in page
    assert 'name="filtre" value="mainlevee"' in page
    assert "1-1 sur 1" in page

    nothing = client.get("/agenda/awaiting/?filtre=zzz", **HTMX).content.decode()
    assert "Aucune notification ne correspond à ce filtre." in nothing
