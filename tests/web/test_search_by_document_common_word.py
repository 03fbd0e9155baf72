"""Search by document name when the word is common: past ``DOCUMENT_IDS_LIMIT`` matching
acts the search joins the acts instead of listing their significations (queries.py); the
results are the same either way."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from securact.significations import queries
from tests.web.test_search_support import bailiff_named, get, make_signification


def _references(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="search-col-reference">([^<]+)</th>', page)


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for index, files in enumerate(
        [("acte.pdf", "acte annexe.pdf"), ("acte.pdf",), ("decompte.pdf",), ("Acte 3.pdf",)]
    ):
        make_signification(
            durand, f"REF-{index}", sent_at=first + timedelta(days=index), files=files
        )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1000, 2, 1])
def test_the_same_significations_whatever_the_number_of_matching_acts(client, monkeypatch, limit):
    monkeypatch.setattr(queries, "DOCUMENT_IDS_LIMIT", limit)

    page = get(client, "/rechercher/", {"document": "ACTE"}).content.decode()

    assert _references(page) == ["REF-3", "REF-1", "REF-0"]  # newest first, each once
    assert "1-3 sur 3" in page
