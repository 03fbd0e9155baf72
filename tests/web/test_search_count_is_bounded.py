"""The count of results stops at a limit (10 000 in production): past it the page says
"sur plus de …" and offers no last page, so that a large étude's search stays fast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from securact.significations import queries
from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.mark.django_db
def test_past_the_limit_the_count_says_more_than(signed_in, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 12)
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for hour in range(14):
        make_signification(durand, f"REF-{hour:02d}", sent_at=first + timedelta(hours=hour))

    page = get(client, "/rechercher/").content.decode()
    within = get(client, "/rechercher/", {"reference": "REF-0"}).content.decode()

    assert "1-10 sur plus de 12" in page
    assert "Dernière page" not in page
    assert "Page suivante" in page
    assert "1-10 sur 10" in within  # under the limit, the exact count


@pytest.mark.django_db
def test_a_document_search_counts_less_far(signed_in, monkeypatch):
    # A common word in act names would otherwise test the names of most of a big étude's
    # acts before the count stops (README, "Performance").
    monkeypatch.setattr(queries, "COUNT_LIMIT", 30)
    monkeypatch.setattr(queries, "DOCUMENT_COUNT_LIMIT", 12)
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for hour in range(14):
        make_signification(
            durand,
            f"REF-{hour:02d}",
            sent_at=first + timedelta(hours=hour),
            files=("decompte.pdf",),
        )

    by_document = get(client, "/rechercher/", {"document": "decompte"}).content.decode()
    by_reference = get(client, "/rechercher/", {"reference": "REF-"}).content.decode()

    assert "1-10 sur plus de 12" in by_document
    assert "1-10 sur 14" in by_reference
