"""Search by the practice's deposit reference (a part of it, case ignored)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.mark.django_db
def test_search_by_reference_finds_the_matching_significations(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    sent = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    make_signification(durand, "SAISIE-2026-001", sent_at=sent)
    make_signification(durand, "saisie-2026-002", sent_at=sent)
    make_signification(durand, "MAINLEVEE-7", sent_at=sent)

    page = get(client, "/rechercher/", {"reference": "saisie-2026"}).content.decode()

    assert "SAISIE-2026-001" in page
    assert "saisie-2026-002" in page
    assert "MAINLEVEE-7" not in page
    assert "1-2 sur 2" in page
