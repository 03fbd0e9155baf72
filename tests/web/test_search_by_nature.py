"""Search by act nature, chosen from the list (its code is the URL's value)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.mark.django_db
def test_by_nature(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    sent = datetime(2026, 3, 10, 9, tzinfo=UTC)
    make_signification(durand, "UNE-SAISIE", nature_code="saisie-attribution", sent_at=sent)
    make_signification(durand, "UNE-MAINLEVEE", nature_code="mainlevee", sent_at=sent)

    page = get(client, "/rechercher/", {"nature": "mainlevee"}).content.decode()

    assert ">UNE-MAINLEVEE<" in page
    assert ">UNE-SAISIE<" not in page
    assert '<option value="mainlevee" selected>Mainlevée</option>' in page
