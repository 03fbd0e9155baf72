"""Search by delivery state: awaiting consultation, *remise à personne*, *remise à
domicile*; one not yet deposited is in no delivery state (but *Tous* lists it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    make_signification(durand, "DEPOSEE", sent_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    make_signification(
        durand, "OUVERTE", sent_at=datetime(2026, 3, 11, 9, tzinfo=UTC), delivery="personne"
    )
    make_signification(
        durand, "NON-OUVERTE", sent_at=datetime(2026, 3, 12, 9, tzinfo=UTC), delivery="domicile"
    )
    make_signification(durand, "EN-COURS", sent_at=None)
    make_signification(durand, "ECHOUEE", sent_at=None, failed_step=("sign", "PIN refusé."))
    return client


@pytest.mark.django_db
def test_awaiting_lists_the_deposited_significations(client):
    page = get(client, "/rechercher/", {"etat": "attente"}).content.decode()
    assert ">DEPOSEE<" in page
    assert ">EN-COURS<" not in page
    assert ">ECHOUEE<" not in page
    assert "En attente de consultation" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "reference", "label"),
    [("personne", "OUVERTE", "Remis à personne"), ("domicile", "NON-OUVERTE", "Remis à domicile")],
)
def test_each_delivery_state_lists_its_significations_only(client, state, reference, label):
    page = get(client, "/rechercher/", {"etat": state}).content.decode()
    assert f">{reference}<" in page
    assert label in page
    for other in {"DEPOSEE", "OUVERTE", "NON-OUVERTE", "EN-COURS"} - {reference}:
        assert f">{other}<" not in page


@pytest.mark.django_db
def test_all_states_list_every_signification_with_its_state(client):
    page = get(client, "/rechercher/").content.decode()
    for reference in ("DEPOSEE", "EN-COURS", "ECHOUEE"):
        assert f">{reference}<" in page
    assert "Signification en cours" in page
    assert "Signification en échec" in page
