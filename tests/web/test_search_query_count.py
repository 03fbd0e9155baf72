"""A results page costs a fixed number of queries, whatever its rows and their acts (no
query per row)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RecipientFactory
from tests.web.test_search_support import bailiff_named, get, make_signification


def _make(bailiff, count: int, start: int) -> None:
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for index in range(start, start + count):
        make_signification(
            bailiff,
            f"REF-{index:03d}",
            recipient=RecipientFactory(),
            sent_at=first + timedelta(hours=index),
            files=("acte.pdf", "annexe.pdf", "decompte.docx"),
        )


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_rows(
    signed_in, django_assert_max_num_queries
):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    get(client, "/rechercher/")  # sign-in and session set up once
    _make(durand, 2, 0)
    with CaptureQueriesContext(connection) as few:
        assert "1-2 sur 2" in get(client, "/rechercher/").content.decode()
    _make(durand, 23, 2)
    with CaptureQueriesContext(connection) as many:
        page = get(client, "/rechercher/", {"destinataire": "banque", "document": "acte"})
    assert "1-10 sur 25" in page.content.decode()
    # Each of the two criteria reads its ids once (the recipients, the acts): see queries.search.
    assert len(many) <= len(few) + 2

    with django_assert_max_num_queries(10):
        get(client, "/rechercher/", {"page": "3", "tri": "destinataire"})
