"""*Filtrer dans les résultats* keeps the page's rows that contain the text (as shown:
reference, state, file, recipient, date; accents and case ignored), and says how many."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import RecipientFactory
from tests.web.test_search_support import bailiff_named, get, make_signification


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="search-col-reference">([^<]+)</th>', page)


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    mutuel = RecipientFactory(name="Crédit Mutuel")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for index in range(12):  # REF-00 and REF-01 are on page 2
        make_signification(
            durand,
            f"REF-{index:02d}",
            recipient=mutuel if index % 4 == 0 else None,
            sent_at=first + timedelta(hours=index),
        )
    return client


@pytest.mark.django_db
def test_the_filter_keeps_the_page_rows_that_match(client):
    page = get(client, "/rechercher/", {"filtre": "CREDIT"}).content.decode()
    assert _rows(page) == ["REF-08", "REF-04"]  # REF-00 is on page 2
    assert "1-10 sur 12" in page
    assert "2 lignes de cette page contiennent « CREDIT »" in page
    assert 'name="filtre" value="CREDIT"' in page


@pytest.mark.django_db
def test_a_filter_matching_nothing_says_so(client):
    page = get(client, "/rechercher/", {"filtre": "introuvable"}).content.decode()
    assert _rows(page) == []
    assert "Aucune ligne de cette page ne contient « introuvable »." in page


@pytest.mark.django_db
def test_the_filter_form_keeps_the_search(client):
    page = get(client, "/rechercher/", {"reference": "REF", "page": "2"}).content.decode()
    form = page.split('class="search-in-results"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="reference" value="REF">' in form
    assert '<input type="hidden" name="page" value="2">' in form
