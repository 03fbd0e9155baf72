"""Search by document name: the file the practice uploaded or the name it was deposited
under, any part of it, case ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    make_signification(
        durand,
        "AVEC-ANNEXE",
        sent_at=datetime(2026, 3, 10, 9, 15, 42, tzinfo=UTC),
        files=("PV saisie Dupont.pdf", "Décompte Dupont.docx"),
    )
    make_signification(
        durand, "AUTRE", sent_at=datetime(2026, 3, 11, 9, tzinfo=UTC), files=("acte.pdf",)
    )
    return client


@pytest.mark.django_db
def test_by_the_uploaded_name(client):
    page = get(client, "/rechercher/", {"document": "décompte dup"}).content.decode()
    assert ">AVEC-ANNEXE<" in page
    assert ">AUTRE<" not in page


@pytest.mark.django_db
def test_by_the_deposited_name(client):
    # 9991_AVEC-ANNEXE_20260310_101542_2.pdf (10:15:42 in Paris)
    page = get(client, "/rechercher/", {"document": "20260310_101542_2"}).content.decode()
    assert ">AVEC-ANNEXE<" in page
    assert ">AUTRE<" not in page
    assert "1-1 sur 1" in page
