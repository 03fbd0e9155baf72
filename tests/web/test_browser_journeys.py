"""The bailiff's whole journey in a real browser (Debian's Chromium under Playwright), over
real TLS through gunicorn with the demo client certificates, served by real `securact worker`
processes (Ghostscript, LibreOffice, the SoftHSM2 token, the test PKI's TSA and OCSP, an SMTP
server, the SMS gateway): nothing is called in-process behind the browser's back.

Each screen is saved into ``var/screenshots/`` (README, "Tests")."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from securact.directory.models import AcceptedNature, ActNature, Recipient, ServiceWindow
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Signification, Step
from securact.vault.services import declare_vault
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
REFERENCE = "SAISIE-2026-0417"
# The request that receives the PIN holds while the workers convert and the token signs.
SERVE_TIMEOUT_MS = 240_000
STEPS_TIMEOUT_MS = 240_000


def _choose_recipient(page: Any, query: str, name: str) -> None:
    page.get_by_label("Rechercher le destinataire (SIRET, nom ou n° INSEE)").fill(query)
    row = page.locator("#recipient-results tr", has_text=name)
    row.get_by_role("button", name="Choisir").click()
    page.locator("#recipient-panel h3", has_text=name).wait_for()


def _choose_nature(page: Any, label: str) -> str:
    page.get_by_label("Nature de l'acte").select_option(label=label)
    message = page.locator("#nature-hours p")
    message.wait_for()
    return str(message.inner_text())


def _add_file(page: Any, path: Path) -> None:
    page.locator("#add-file").set_input_files(str(path))
    page.locator("#draft-files .file-name", has_text=path.name).wait_for()


def _remove_file(page: Any, name: str) -> None:
    page.get_by_role("button", name=f"Retirer {name}").click()
    page.locator("#draft-files .file-name", has_text=name).wait_for(state="detached")


def _draft_names(page: Any) -> list[str]:
    return [str(n) for n in page.locator("#draft-files .file-name").all_inner_texts()]


def _sign(page: Any, pin: str) -> None:
    page.get_by_label("Code PIN").fill(pin)
    page.get_by_role("button", name="Signifier").click()


def _wait_for_all_steps_done(page: Any) -> None:
    page.wait_for_function(
        """() => {
            const rows = document.querySelectorAll('ol.steps li.step-row');
            return rows.length === 6 && [...rows].every(r => r.classList.contains('state-done'));
        }""",
        timeout=STEPS_TIMEOUT_MS,
    )


def _search(page: Any, base: str, **fields: str) -> None:
    page.goto(base + "/rechercher/")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()


def test_a_bailiff_serves_a_garnishment_from_first_sign_in_to_the_downloaded_archive(
    browser, live_site, identities, acts, tmp_path
):
    bailiff = identities["bailiff-durand"]
    pdf, docx = acts[0], acts[1]
    page = open_page(browser, live_site, bailiff)

    # First sign-in: the certificate is declared, then the dashboard is the start page.
    page.goto(live_site + "/")
    assert page.locator("h1").inner_text() == "Déclaration de votre certificat"
    page.get_by_role("button", name="Confirmer la déclaration").click()
    page.wait_for_url(live_site + "/")
    assert page.locator("#count-awaiting").inner_text() == "0"

    # The service form, from the menu.
    page.get_by_role("link", name="SIGNIFICATION D'ACTES").click()
    page.wait_for_url(live_site + "/signifier/")
    page.get_by_label("Référence de dépôt étude").fill(REFERENCE)
    _choose_recipient(page, "banque", "BANQUE TEST")
    assert "99999001300016" in page.locator("#recipient-panel").inner_text()
    hours = _choose_nature(page, "Mainlevée")
    assert hours == "Ce destinataire reçoit ce type d'acte en ce moment."
    screenshot(page, "10-formulaire-destinataire")

    # Acts added one by one: a DOCX and a PDF; the DOCX removed, then added again.
    _add_file(page, docx)
    _add_file(page, pdf)
    assert _draft_names(page) == [docx.name, pdf.name]
    _remove_file(page, docx.name)
    assert _draft_names(page) == [pdf.name]
    _add_file(page, docx)
    assert sorted(_draft_names(page)) == sorted([docx.name, pdf.name])

    # Preview of each act as the PDF/A it will be served as (F3.6).
    for act in (pdf, docx):
        page.get_by_role("link", name=f"Aperçu PDF/A de {act.name}").click()
    page.wait_for_function(
        """() => {
            const panels = document.querySelectorAll('.preview-slot .preview');
            const images = [...document.querySelectorAll('.preview-slot img')];
            return panels.length === 2 && images.length >= 2
                && images.every(i => i.complete && i.naturalWidth > 0);
        }""",
        timeout=120_000,
    )
    assert "PDF/A-2b" in page.locator("#draft-files").inner_text()
    screenshot(page, "11-formulaire-actes-apercu")

    # Signing certificate from the token, the PIN, *Signifier*.
    assert "Claire DURAND" in page.get_by_label("Sélection du certificat de signature").inner_text()
    _sign(page, bailiff.record["pin"])
    page.wait_for_url(re.compile(r"/significations/\d+/progression/$"), timeout=SERVE_TIMEOUT_MS)
    _wait_for_all_steps_done(page)
    assert page.locator("ol.steps li.step-row").count() == 6
    screenshot(page, "12-progression-terminee")
    signification = Signification.objects.get(reference=REFERENCE)
    assert signification.acts.count() == 2
    assert set(signification.steps.values_list("state", flat=True)) == {Step.State.DONE}

    # The dashboard counts the act awaiting the recipient's consultation.
    page.get_by_role("link", name="ACCUEIL").click()
    assert page.locator("#count-awaiting").inner_text() == "1"
    page.locator("#cat-awaiting summary").click()
    page.locator("#table-awaiting tbody tr", has_text=REFERENCE).wait_for()
    screenshot(page, "13-tableau-de-bord-en-attente")

    # Search: by reference, by recipient, by date of service.
    _search(page, live_site, **{"Référence de l'acte de signification": REFERENCE})
    assert page.locator("#resultats tbody tr", has_text=REFERENCE).count() == 1
    screenshot(page, "14-recherche-par-reference")
    _search(page, live_site, **{"Destinataire": "BANQUE TEST"})
    assert page.locator("#resultats tbody tr", has_text=REFERENCE).count() == 1
    served = signification.sent_at.astimezone(PARIS).date() if signification.sent_at else None
    assert served is not None
    _search(page, live_site, du=served.isoformat(), au=served.isoformat())
    assert page.locator("#resultats tbody tr", has_text=REFERENCE).count() == 1

    # The detail: sections 1 (the acts in the recipient's vault), 2 (deposit certificate and
    # archive in the bailiff's vault) and 5 filled.
    page.get_by_title(f"Voir la fiche détaillée de la signification {REFERENCE}").click()
    page.wait_for_url(re.compile(rf"/significations/{signification.pk}/"))
    section_1 = page.locator("section", has=page.locator("#section-1")).inner_text()
    assert "BANQUE TEST" in section_1 and "Mainlevée" in section_1
    for act in signification.acts.all():
        assert act.deposited_name in section_1
    section_2 = page.locator("section", has=page.locator("#section-2")).inner_text()
    assert "attestation" in section_2.lower() and "Télécharger" in section_2
    section_5 = page.locator("section", has=page.locator("#section-5")).inner_text()
    assert "Fichier" in section_5 and "déposé dans le coffre destinataire BANQUE TEST" in section_5
    screenshot(page, "15-fiche-detaillee")

    # The ZIP archive downloads from the bailiff's own vault and matches its manifest.
    archive_link = (
        page.locator("#section-2")
        .locator("..")
        .get_by_role("link", name=re.compile(r"Télécharger .*\.zip"))
    )
    with page.expect_download() as download_info:
        archive_link.click()
    archive = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(archive)
    unpacked = tmp_path / "archive"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(unpacked)
        names = set(opened.namelist())
    assert "manifest.sha256" in names
    assert {a.deposited_name for a in signification.acts.all()} <= names
    checked = subprocess.run(
        [shutil.which("sha256sum") or "sha256sum", "-c", "manifest.sha256"],
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = {
        line.split("  ", 1)[1]
        for line in (unpacked / "manifest.sha256").read_text().split("\n")
        if line
    }
    assert listed == names - {"manifest.sha256"}


def _hours_excluding_now(recipient: Recipient, nature: ActNature) -> str:
    """Give ``recipient`` one window today for ``nature`` that does not contain now."""
    now = datetime.now(PARIS)
    start, end = ("20:00", "21:00") if now.hour < 12 else ("06:00", "07:00")
    accepted = AcceptedNature.objects.get(recipient=recipient, nature=nature)
    ServiceWindow.objects.filter(accepted_nature=accepted).delete()
    ServiceWindow.objects.create(
        accepted_nature=accepted, weekday=now.weekday(), start=start, end=end
    )
    return f"de {start.replace(':', 'h')} à {end.replace(':', 'h')}"


def test_outside_the_recipients_hours_nothing_is_served_and_a_wrong_pin_is_said_then_corrected(
    browser, live_site, identities, acts
):
    bailiff = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(bailiff.cert).read_bytes())))
    bank = Recipient.objects.get(name="BANQUE TEST")
    garnishment = ActNature.objects.get(code="saisie-attribution")
    hours = _hours_excluding_now(bank, garnishment)
    page = open_page(browser, live_site, bailiff)
    page.goto(live_site + "/signifier/")
    page.get_by_label("Référence de dépôt étude").fill("HORS-HORAIRES")
    _choose_recipient(page, "99999001300016", "BANQUE TEST")
    message = _choose_nature(page, garnishment.label)
    assert message == (
        "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le "
        f"destinataire ne reçoit que ce type d'acte selon les horaires suivants : {hours}."
    )
    _add_file(page, acts[0])
    screenshot(page, "20-formulaire-hors-horaires")

    # Submitted anyway: refused again on the server, nothing created, what was typed kept.
    _sign(page, bailiff.record["pin"])
    refusal = page.locator(".field-error", has_text="Vous ne pouvez actuellement transmettre")
    refusal.first.wait_for()
    assert refusal.count() == 1  # the server's refusal, where the hours message was
    assert Signification.objects.count() == 0
    assert page.get_by_label("Référence de dépôt étude").input_value() == "HORS-HORAIRES"
    assert _draft_names(page) == [acts[0].name]
    screenshot(page, "21-refus-hors-horaires")

    # A nature accepted now, a wrong PIN: the French error next to the PIN, nothing served.
    _choose_nature(page, "Mainlevée")
    _sign(page, "999999")
    page.locator("#pin-errors .field-error").wait_for()
    assert "Code PIN incorrect" in page.locator("#pin-errors").inner_text()
    assert Signification.objects.count() == 0
    assert _draft_names(page) == [acts[0].name]
    screenshot(page, "22-code-pin-incorrect")

    # The right PIN on the same form: served.
    _sign(page, bailiff.record["pin"])
    page.wait_for_url(re.compile(r"/significations/\d+/progression/$"), timeout=SERVE_TIMEOUT_MS)
    _wait_for_all_steps_done(page)
    served = Signification.objects.get(reference="HORS-HORAIRES")
    assert served.nature.code == "mainlevee"
    assert served.sent_at is not None
    screenshot(page, "23-progression-apres-correction")
