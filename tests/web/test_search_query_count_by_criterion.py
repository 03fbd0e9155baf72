"""Performance (issue 4, item 8): a search by each criterion of the manual, each sort and a
later page cost the same number of SQL queries for a dozen significations as for several
times more — no query per row or per act."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RecipientFactory
from tests.web.test_search_support import bailiff_named, get, make_signification

FIRST = datetime(2026, 3, 2, 9, tzinfo=UTC)
SEARCHES = [
    {},
    {"du": "2026-03-01", "au": "2026-06-30"},
    {"etat": "attente"},
    {"reference": "REF-0"},
    {"document": "acte"},
    {"destinataire": "banque"},
    {"nature": "saisie-attribution"},
    {"source": "web"},
    {"tri": "etat"},
    {"tri": "-etat"},
    {"tri": "destinataire"},
    {"tri": "-reference"},
    {"page": "2"},
]


def _make(bailiff, count: int, start: int) -> None:
    for index in range(start, start + count):
        make_signification(
            bailiff,
            f"REF-{index:03d}",
            recipient=RecipientFactory(name=f"Banque {index}"),
            sent_at=FIRST + timedelta(hours=index),
            files=("acte.pdf", "annexe.pdf"),
        )


def _queries(client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert get(client, "/rechercher/", params).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_each_criterion_costs_the_same_whatever_the_rows(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    get(client, "/rechercher/")  # sign-in and session set up once
    _make(durand, 12, 0)  # page 2 exists
    few = [_queries(client, params) for params in SEARCHES]

    _make(durand, 30, 12)

    assert [_queries(client, params) for params in SEARCHES] == few
