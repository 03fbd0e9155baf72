"""The « Données de l'acte » section in a real browser (Chromium under Playwright, real TLS,
real workers): it appears when a garnishment is chosen, keeps what was typed when another
garnishment is chosen, leaves for a mainlevée; a future birth date is said next to its field
with everything kept; corrected, the act is served and its data message deposited.

Screens go into ``var/screenshots/`` (50-…)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from securact.datamessage.models import DataMessage
from securact.directory.models import AcceptedNature, ActNature, Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Signification
from securact.vault.services import declare_vault
from tests.web import test_browser_journeys as journeys
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GARNISHMENT = (
    "Procès-verbal de saisie attribution (auprès d'un établissement habilité à tenir des "
    "comptes de dépôt)"
)
CONSERVATORY = (
    "Procès-verbal de saisie conservatoire de créances (auprès d'un établissement habilité "
    "à tenir des comptes de dépôt)"
)
FIELDS = {
    "Nom du débiteur": "MARTIN",
    "Prénoms du débiteur": "Jean Pierre",
    "Date de naissance": "1980-05-02",
    "Lieu de naissance": "Lyon (69)",
    "Créancier": "SA Crédit Exemple",
    "SIREN du créancier": "552 120 222",
    "Juridiction ou auteur du titre": "Tribunal judiciaire de Paris",
    "Date du titre": "2025-01-10",
    "Référence du titre": "RG 24/01234",
    "Principal (€)": "1234.56",
    "Intérêts (€)": "12",
    "Frais (€)": "150.30",
}


def _nature(page: Any, label: str) -> None:
    with page.expect_response(re.compile(r"/signifier/donnees/")):
        page.get_by_label("Nature de l'acte").select_option(label=label)


def _field(page: Any, label: str) -> Any:
    return page.locator("#act-elements").get_by_label(label, exact=True)


def test_the_elements_section_follows_the_nature_and_keeps_what_was_typed(
    browser,
    live_site,
    identities,
    acts,
):
    bailiff = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(bailiff.cert).read_bytes())))
    AcceptedNature.objects.create(  # a nature without data message, at any legal time
        recipient=Recipient.objects.get(name="CRÉDIT DÉMO DE L'EST"),
        nature=ActNature.objects.get(code="mainlevee"),
    )
    page = open_page(browser, live_site, bailiff)
    page.goto(live_site + "/signifier/")
    page.get_by_label("Référence de dépôt étude").fill("SA-WEB-DONNEES")
    journeys._choose_recipient(page, "credit", "CRÉDIT DÉMO DE L'EST")

    _nature(page, GARNISHMENT)
    page.locator("#act-elements h2", has_text="Données de l'acte").wait_for()
    _field(page, "Nom du débiteur").fill("MARTIN")
    _nature(page, CONSERVATORY)
    assert _field(page, "Nom du débiteur").input_value() == "MARTIN"
    _nature(page, "Mainlevée")
    page.locator("#act-elements section").wait_for(state="detached")
    _nature(page, GARNISHMENT)
    page.locator("#act-elements section").wait_for()

    page.locator("#act-elements").get_by_label("Personne physique").check()
    for label, value in FIELDS.items():
        _field(page, label).fill(value)
    _field(page, "Date de naissance").fill("2999-01-01")
    _field(page, "Nature du titre").select_option(label="Jugement ou arrêt")
    journeys._add_file(page, acts[0])
    screenshot(page, "50-formulaire-donnees-acte")

    journeys._sign(page, bailiff.record["pin"])
    error = page.locator("#donnees-debtor_birth_date-errors .field-error")
    error.wait_for()
    assert error.inner_text() == "La date de naissance ne peut pas être dans le futur."
    assert _field(page, "Nom du débiteur").input_value() == "MARTIN"
    assert _field(page, "Principal (€)").input_value() == "1234.56"
    assert Signification.objects.count() == 0
    screenshot(page, "51-donnees-acte-date-future")

    _field(page, "Date de naissance").fill("1980-05-02")
    journeys._sign(page, bailiff.record["pin"])
    page.wait_for_url(
        re.compile(r"/significations/\d+/progression/$"), timeout=journeys.SERVE_TIMEOUT_MS
    )
    journeys._wait_for_all_steps_done(page)
    served = Signification.objects.get(reference="SA-WEB-DONNEES")
    message = DataMessage.objects.select_related("stored_file").get(signification=served)
    assert message.stored_file.name.endswith("_DONNEES.xml")
    assert served.elements.creditor_siren == "552120222"
    screenshot(page, "52-donnees-acte-signifie")
