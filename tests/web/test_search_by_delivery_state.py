"""Search by delivery state. Until the recipient side decides deliveries, every deposited
signification awaits consultation and none is *remise à personne* or *à domicile*; one not
yet deposited is in no delivery state (but *Tous* lists it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    make_signification(durand, "DEPOSEE", sent_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
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
@pytest.mark.parametrize("state", ["personne", "domicile"])
def test_no_signification_is_delivered_yet(client, state):
    page = get(client, "/rechercher/", {"etat": state}).content.decode()
    assert "Aucune signification ne correspond à ces critères." in page
    assert ">DEPOSEE<" not in page


@pytest.mark.django_db
def test_all_states_list_every_signification_with_its_state(client):
    page = get(client, "/rechercher/").content.decode()
    for reference in ("DEPOSEE", "EN-COURS", "ECHOUEE"):
        assert f">{reference}<" in page
    assert "Signification en cours" in page
    assert "Signification en échec" in page
