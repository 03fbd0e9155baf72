"""Search by recipient: a word of its name (accents and case ignored) or its SIRET (whole,
with spaces, or its beginning)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.directory.models import Recipient
from tests.factories import RecipientFactory, make_siret
from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.fixture
def client(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    sent = datetime(2026, 3, 10, 9, tzinfo=UTC)
    mutuel = RecipientFactory(name="Crédit Mutuel de Bretagne", siret=make_siret(71_230_042))
    make_signification(durand, "POUR-LE-MUTUEL", recipient=mutuel, sent_at=sent)
    make_signification(durand, "POUR-BANQUE-TEST", sent_at=sent)
    return client, mutuel


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["credit", "MUTUEL", "crédit mutuel", "bretagne"])
def test_by_a_word_of_the_name(client, typed):
    browser, _mutuel = client
    page = get(browser, "/rechercher/", {"destinataire": typed}).content.decode()
    assert ">POUR-LE-MUTUEL<" in page
    assert ">POUR-BANQUE-TEST<" not in page


@pytest.mark.django_db
def test_by_siret_whole_spaced_or_its_siren(client):
    browser, mutuel = client
    siret = mutuel.siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    for typed in (siret, spaced, siret[:9]):
        page = get(browser, "/rechercher/", {"destinataire": typed}).content.decode()
        assert ">POUR-LE-MUTUEL<" in page, typed
        assert ">POUR-BANQUE-TEST<" not in page, typed


@pytest.mark.django_db
def test_the_demo_bank_by_its_siret(client):
    browser, _mutuel = client
    bank = Recipient.objects.get(name="BANQUE TEST")
    page = get(browser, "/rechercher/", {"destinataire": bank.siret}).content.decode()
    assert ">POUR-BANQUE-TEST<" in page
    assert ">POUR-LE-MUTUEL<" not in page
