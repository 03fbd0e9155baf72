"""Every result column sorts both ways (``?tri=reference``, ``?tri=-reference``), each way
the exact reverse of the other: rows not yet deposited have no date and come last when the
newest come first, first the other way; an unknown sort key is ignored."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.factories import RecipientFactory
from tests.web.test_search_support import bailiff_named, get, make_signification


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="search-col-reference">([^<]+)</th>', page)


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    zenith = RecipientFactory(name="Zénith Assurances")
    alpha = RecipientFactory(name="Alpha Banque")
    make_signification(durand, "B-MARS", recipient=zenith, sent_at=datetime(2026, 3, 1, tzinfo=UTC))
    make_signification(durand, "C-AVRIL", recipient=alpha, sent_at=datetime(2026, 4, 1, tzinfo=UTC))
    make_signification(durand, "A-MAI", recipient=zenith, sent_at=datetime(2026, 5, 1, tzinfo=UTC))
    make_signification(durand, "D-EN-COURS", recipient=alpha, sent_at=None)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["A-MAI", "C-AVRIL", "B-MARS", "D-EN-COURS"]),  # default: newest deposit first
        ("date", ["D-EN-COURS", "B-MARS", "C-AVRIL", "A-MAI"]),
        ("-date", ["A-MAI", "C-AVRIL", "B-MARS", "D-EN-COURS"]),
        ("reference", ["A-MAI", "B-MARS", "C-AVRIL", "D-EN-COURS"]),
        ("-reference", ["D-EN-COURS", "C-AVRIL", "B-MARS", "A-MAI"]),
        ("fichier", ["A-MAI", "B-MARS", "C-AVRIL", "D-EN-COURS"]),
        ("destinataire", ["C-AVRIL", "D-EN-COURS", "A-MAI", "B-MARS"]),
        ("-destinataire", ["A-MAI", "B-MARS", "C-AVRIL", "D-EN-COURS"]),
        ("etat", ["A-MAI", "C-AVRIL", "B-MARS", "D-EN-COURS"]),  # deposited, then in progress
        ("-etat", ["D-EN-COURS", "A-MAI", "C-AVRIL", "B-MARS"]),
        ("n'importe quoi", ["A-MAI", "C-AVRIL", "B-MARS", "D-EN-COURS"]),
    ],
)
def test_sort_by_column(client, sort, expected):
    response = get(client, "/rechercher/", {"tri": sort} if sort else {})
    assert response.status_code == 200
    assert _rows(response.content.decode()) == expected


@pytest.mark.django_db
def test_the_headers_say_how_the_table_is_sorted(client):
    page = get(client, "/rechercher/", {"tri": "reference"}).content.decode()
    assert 'class="search-col-reference" aria-sort="ascending"' in page
    assert 'class="search-col-date" aria-sort="none"' in page
    assert 'href="?tri=-reference"' in page  # clicking again reverses it
