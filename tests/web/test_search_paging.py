"""Results come 10 a page with the manual's paging: ``1-10 sur 11`` and
*Début Préc. 1 2 Suiv. Fin*."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="search-col-reference">([^<]+)</th>', page)


@pytest.mark.django_db
def test_eleven_results_make_two_pages(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for day in range(11):
        make_signification(durand, f"REF-{day:02d}", sent_at=first + timedelta(days=day))

    one = get(client, "/rechercher/").content.decode()
    two = get(client, "/rechercher/", {"page": "2"}).content.decode()

    assert "1-10 sur 11" in one
    assert _rows(one) == [f"REF-{day:02d}" for day in range(10, 0, -1)]  # newest first
    assert '<span aria-disabled="true">Début</span>' in one
    assert '<span aria-disabled="true">Préc.</span>' in one
    assert '<a href="?page=2" aria-label="Page suivante">Suiv.</a>' in one
    assert '<a href="?page=2" aria-label="Dernière page">Fin</a>' in one

    assert "11-11 sur 11" in two
    assert _rows(two) == ["REF-00"]
    assert '<a href="?page=1" aria-label="Première page">Début</a>' in two
    assert '<span aria-current="page">2</span>' in two
    assert '<span aria-disabled="true">Fin</span>' in two


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["zéro", "-1", "999999999999999999999", "\x00"])
def test_a_page_out_of_range_shows_a_real_page(signed_in, page):
    client = signed_in("bailiff-durand")
    make_signification(bailiff_named("DURAND"), "SEULE", sent_at=datetime(2026, 3, 2, tzinfo=UTC))
    response = get(client, "/rechercher/", {"page": page})
    assert response.status_code == 200
    assert "1-1 sur 1" in response.content.decode()
