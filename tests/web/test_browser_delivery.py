"""Delivery and the act return in real browsers (Debian's Chromium under Playwright), the
bailiff and the bank each with its own demo client certificate over real TLS through
gunicorn, real `securact worker` processes behind them:

1. the bailiff serves a garnishment → the bank signs in, sees it unopened and downloads it →
   the bailiff's detail shows *remise à personne*, the opening time and the delivery
   certificate, which validates offline (pyHanko AdES) → the bank answers with a declaration
   of two accounts → the bailiff sees category 4 and downloads the return, which validates
   and shows both accounts;
2. an act nobody opens: the deadline passes (the clock the services take, moved by the test,
   never a sleep) → *remise à domicile*, its certificate, and the pre-filled letter.

Screens go into ``var/screenshots/`` (40-…)."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from securact.delivery.services import sweep
from securact.directory.models import AcceptedNature, ActNature, ServiceWindow
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import DeliveryState, Signification
from securact.signing import services as signing
from securact.vault.services import declare_vault
from tests.web import test_browser_journeys as journeys
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BANK_LABEL = "recipient-banque-test"
WAIT_MS = 180_000
ELEMENTS = {
    "Nom du débiteur": "MARTIN",
    "Prénoms du débiteur": "Jean Pierre",
    "Date de naissance": "1980-05-02",
    "Lieu de naissance": "Lyon (69)",
    "Créancier": "SA Crédit Exemple",
    "Juridiction ou auteur du titre": "Tribunal judiciaire de Paris",
    "Date du titre": "2025-01-10",
    "Référence du titre": "RG 24/01234",
    "Principal (€)": "1234.56",
    "Intérêts (€)": "12",
    "Frais (€)": "150.30",
}
ACCOUNTS = [
    ("Compte courant", "FR76 3000 6000 0112 3456 7890 189", "2 345,67", "Créditeur"),
    ("Livret d'épargne", "LIV-0042-77", "10 000,00", "Créditeur"),
]


def _declared(identity: Any) -> None:
    declare_vault(parse_certificate(pem_to_der(Path(identity.cert).read_bytes())))


def _serve(page: Any, base: str, *, reference: str, nature: str, pin: str, act: Path) -> None:
    page.goto(base + "/signifier/")
    page.get_by_label("Référence de dépôt étude").fill(reference)
    journeys._choose_recipient(page, "banque", "BANQUE TEST")
    journeys._choose_nature(page, nature)
    if nature != "Mainlevée":
        section = page.locator("#act-elements")
        section.locator("h2", has_text="Données de l'acte").wait_for()
        section.get_by_label("Personne physique").check()
        for label, value in ELEMENTS.items():
            section.get_by_label(label, exact=True).fill(value)
        section.get_by_label("Nature du titre").select_option(label="Jugement ou arrêt")
    journeys._add_file(page, act)
    journeys._sign(page, pin)
    page.wait_for_url(
        re.compile(r"/significations/\d+/progression/$"), timeout=journeys.SERVE_TIMEOUT_MS
    )
    journeys._wait_for_all_steps_done(page)


CERTIFICATE_LINK = re.compile(r"Télécharger .*_REMISE\.pdf")


def _open_detail_with_certificate(page: Any, base: str, signification: Signification) -> str:
    """The bailiff's detail, reloaded until the delivery certificate can be downloaded (a
    worker seals and deposits it after the decision)."""
    url = f"{base}/significations/{signification.pk}/"
    for _ in range(WAIT_MS // 1000):
        page.goto(url)
        if page.get_by_role("link", name=CERTIFICATE_LINK).count():
            return str(page.locator("main").inner_text())
        page.wait_for_timeout(1000)
    raise AssertionError(f"no delivery certificate on {url}")


def _download(page: Any, link: Any, folder: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def _validates_offline(pdf: Path) -> None:
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one,
    # and pyHanko's validation runs its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(
            signing.validate_pades_offline,
            pdf,
            signing.trust_roots(),
            signing.intermediate_certificates(),
        ).result()
    assert report.ok, report
    assert (report.indication, report.subindication) == ("PASSED", "OK")
    assert report.signature_timestamp is not None


def _text(pdf: Path) -> str:
    """The PDF's text by poppler, its white space folded."""
    layout = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(layout.split())


def _section(page: Any, number: int) -> Any:
    return page.locator("section", has=page.locator(f"#section-{number}"))


@pytest.fixture
def garnishment_at_any_hour() -> ActNature:
    """BANQUE TEST takes garnishments at any legal time for this walk (its demo hours are
    weekday office hours; the hours refusal has its own journey)."""
    nature = ActNature.objects.get(code="saisie-attribution")
    accepted = AcceptedNature.objects.get(recipient__name="BANQUE TEST", nature=nature)
    ServiceWindow.objects.filter(accepted_nature=accepted).delete()
    return nature


def test_a_garnishment_opened_by_the_bank_is_delivered_in_person_and_answered(
    browser, live_site, identities, acts, tmp_path, garnishment_at_any_hour
):
    bailiff, bank = identities["bailiff-durand"], identities[BANK_LABEL]
    _declared(bailiff)
    _declared(bank)
    desk = open_page(browser, live_site, bailiff)
    _serve(
        desk,
        live_site,
        reference="SAISIE-2026-0511",
        nature=garnishment_at_any_hour.label,
        pin=bailiff.record["pin"],
        act=acts[0],
    )
    served = Signification.objects.get(reference="SAISIE-2026-0511")
    act = served.acts.get()

    # The bank: its deposits, this one unopened; the detail; the download.
    counter = open_page(browser, live_site, bank)
    counter.goto(live_site + "/")
    counter.wait_for_url(live_site + "/destinataire/")
    row = counter.locator("#depots-table tbody tr", has_text="SAISIE-2026-0511")
    assert "Non ouvert" in row.inner_text()
    screenshot(counter, "40-banque-depot-non-ouvert")
    counter.get_by_role("link", name="Ouvrir le dépôt SAISIE-2026-0511").click()
    counter.wait_for_url(f"{live_site}/destinataire/depots/{served.pk}/")
    assert counter.get_by_role("link", name="Télécharger le message de données").count() == 1
    downloaded = _download(
        counter, counter.get_by_role("link", name=f"Télécharger {act.deposited_name}"), tmp_path
    )
    _validates_offline(downloaded)  # the bailiff's PAdES B-LTA signature on the act
    served.refresh_from_db()
    assert served.delivery_state == DeliveryState.IN_PERSON
    assert served.opened_at is not None and served.opened_at < served.delivery_deadline

    # The bailiff: à personne, the opening time, the sealed delivery certificate.
    text = _open_detail_with_certificate(desk, live_site, served)
    assert "Acte(s) remis à personne au destinataire" in text
    opened = served.opened_at.astimezone(journeys.PARIS).strftime("%d/%m/%Y %H:%M:%S")
    assert opened in _section(desk, 3).inner_text()
    screenshot(desk, "41-detail-remise-a-personne")
    certificate = _download(
        desk,
        _section(desk, 3).get_by_role("link", name=CERTIFICATE_LINK),
        tmp_path,
    )
    _validates_offline(certificate)
    assert "Mode de remise Remise à personne" in _text(certificate)

    # The bank answers with a declaration of two accounts.
    counter.get_by_role("link", name="Répondre").click()
    counter.get_by_label("une personne physique").check()
    for index, (kind, number, balance, direction) in enumerate(ACCOUNTS):
        counter.locator(f"[name=comptes-{index}-kind]").select_option(label=kind)
        counter.locator(f"[name=comptes-{index}-number]").fill(number)
        counter.locator(f"[name=comptes-{index}-balance]").fill(balance)
        counter.locator(f"[name=comptes-{index}-direction]").select_option(label=direction)
    counter.get_by_label("Solde bancaire insaisissable (€)").fill("635,71")
    screenshot(counter, "42-banque-declaration")
    counter.get_by_role("button", name="Déposer la réponse").click()
    counter.get_by_role("heading", name="Réponse déposée").wait_for(timeout=WAIT_MS)
    screenshot(counter, "43-banque-reponse-deposee")

    # The bailiff: category 4 counts it; the return downloads, validates, shows both accounts.
    desk.goto(live_site + "/")
    assert desk.locator("#count-act_return").inner_text() == "1"
    desk.locator("#cat-act_return summary").click()
    desk.locator("#table-act_return tbody tr", has_text="SAISIE-2026-0511").wait_for()
    screenshot(desk, "44-tableau-de-bord-retour")
    desk.goto(f"{live_site}/significations/{served.pk}/")
    returned = _download(
        desk,
        _section(desk, 4).get_by_role(
            "link", name=re.compile(r"Télécharger .*_SAISIE_ATTRIBUTION")
        ),
        tmp_path,
    )
    _validates_offline(returned)
    content = _text(returned)
    for _kind, number, balance, _direction in ACCOUNTS:
        assert number.replace(" ", "") in content  # the number as stored, without spaces
        assert " ".join(balance.split()) in content
    screenshot(desk, "45-detail-retour")


def test_an_act_nobody_opens_is_delivered_at_home_when_its_deadline_passes(
    browser, live_site, identities, acts, tmp_path
):
    bailiff = identities["bailiff-durand"]
    _declared(bailiff)
    desk = open_page(browser, live_site, bailiff)
    _serve(
        desk,
        live_site,
        reference="MAINLEVEE-2026-0099",
        nature="Mainlevée",
        pin=bailiff.record["pin"],
        act=acts[0],
    )
    served = Signification.objects.get(reference="MAINLEVEE-2026-0099")
    assert served.delivery_state == DeliveryState.AWAITING and served.delivery_deadline

    # The clock moves past the deadline (and the settle margin): what the worker's sweeper
    # does every minute, done now at that time.
    after = served.delivery_deadline + timedelta(
        seconds=settings.SECURACT_DELIVERY_SETTLE_SECONDS + 1
    )
    assert sweep(now=after).decided == 1
    served.refresh_from_db()
    assert served.delivery_state == DeliveryState.AT_HOME
    assert served.delivered_at == served.delivery_deadline
    assert served.opened_at is None

    text = _open_detail_with_certificate(desk, live_site, served)
    assert "Acte(s) remis à domicile au destinataire" in text
    assert "lettre simple" in _section(desk, 3).inner_text()
    screenshot(desk, "46-detail-remise-a-domicile")
    certificate = _download(
        desk,
        _section(desk, 3).get_by_role("link", name=CERTIFICATE_LINK),
        tmp_path,
    )
    _validates_offline(certificate)
    assert "Mode de remise Remise à domicile" in _text(certificate)
    letter = _download(
        desk, desk.get_by_role("link", name="Télécharger la lettre pré-remplie (PDF)"), tmp_path
    )
    letter_text = _text(letter)
    assert "Mainlevée" in letter_text
    assert "BANQUE TEST" in letter_text
