"""The vault (F7) in a real browser (Debian's Chromium under Playwright), over real TLS
through gunicorn with the demo client certificates, for a bailiff and for a recipient:
browse, create and rename a folder, move, edit properties, search, download, proof, transfer
a copy, a refused deletion of evidence (the French reason shown), the deposit and deletion of
an own file. Every element is found by its visible French label or role. Each screen is
saved into ``var/screenshots/4x-coffre-*.png`` (README, "Tests")."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from securact.evidence.journal import PLATFORM_ACTOR
from securact.significations.models import DeliveryState
from securact.vault.models import StoredFile, Tombstone
from securact.vault.services import deposit_file, recipient_vault
from tests.conftest import PKI_URL, TEST_ROOT, gunicorn_command, server_environment
from tests.factories import RecipientFactory
from tests.portal.conftest import Deposits, acts_of
from tests.processes import free_port, port_open, running
from tests.vault_pages.conftest import BANK, DURAND, MARTIN, vault_of
from tests.web.browser import open_page, screenshot
from tests.web.test_search_support import make_signification

pytestmark = [pytest.mark.tls, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REFERENCE = "SAISIE-2026-0417"


@pytest.fixture
def site(demo_layout, pki_server, demo_directory, vault_dir) -> Iterator[str]:
    """gunicorn over TLS reading the test database and vault folder, with the test TSA and
    the platform seal (the proof)."""
    port = free_port()
    env = server_environment(
        demo_layout,
        SECURACT_VAULT_DIR=str(vault_dir),
        SECURACT_TSA_URL=f"{PKI_URL}/securact/tsa/tsa",
    )
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / "gunicorn-vault-pages.log",
    ):
        yield f"https://localhost:{port}"


def _toolbar(page: Any, summary: str) -> None:
    """Open one of the toolbar's panels (a disclosure named by its visible French words)."""
    page.get_by_text(summary, exact=True).click()


def _vault_menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Menu du coffre-fort").get_by_role(
        "link", name=name, exact=True
    ).click()
    page.wait_for_load_state()


def _confirmation(page: Any) -> str:
    return str(page.get_by_role("status").first.inner_text())


def _saved(download: Any, tmp_path: Path, name: str) -> bytes:
    target = tmp_path / name
    download.save_as(target)
    return target.read_bytes()


def _create_then_rename_folder(page: Any, name: str, new_name: str) -> None:
    _toolbar(page, "Créer dossier")
    page.get_by_label("Nom du nouveau dossier").fill(name)
    page.get_by_role("button", name="Créer le dossier").click()
    page.wait_for_load_state()
    crumbs = page.get_by_role("navigation", name="Dossier courant")
    assert crumbs.inner_text().split("\n")[-1].strip(" ›") == name
    _toolbar(page, "Renommer dossier")
    page.get_by_label("Nouveau nom du dossier").fill(new_name)
    page.get_by_role("button", name="Renommer le dossier").click()
    page.wait_for_load_state()
    assert new_name in crumbs.inner_text()
    assert f"Dossier « /{name} » renommé en « /{new_name} »" in _confirmation(page)
    page.get_by_role("link", name="Revenir").click()
    page.wait_for_load_state()


def _move(page: Any, name: str, folder: str) -> None:
    page.get_by_label(f"Sélectionner {name}").check()
    _toolbar(page, "Déplacer")
    page.get_by_label("Dossier de destination").select_option(label=f"/{folder}")
    page.get_by_role("button", name="Déplacer les fichiers cochés").click()
    page.wait_for_load_state()
    assert f"1 fichier déplacé vers « /{folder} »" in _confirmation(page)
    page.get_by_role("link", name=folder, exact=True).click()
    page.wait_for_load_state()


def _edit_properties(page: Any, title: str, keywords: str) -> None:
    _toolbar(page, "Éditer propriétés")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill("Pièce classée depuis le coffre-fort.")
    page.get_by_label("Mots-clés").fill(keywords)
    page.get_by_role("button", name="Enregistrer les propriétés").click()
    page.wait_for_load_state()
    assert "modifiées" in _confirmation(page)


def _download_and_proof(page: Any, stored: StoredFile, tmp_path: Path) -> None:
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Télécharger {stored.name}").click()
    assert info.value.suggested_filename == stored.name
    content = _saved(info.value, tmp_path, "telecharge")
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("link", name=f"Preuve de {stored.name}").click()
    names = zipfile.ZipFile(io.BytesIO(_saved(info.value, tmp_path, "preuve.zip"))).namelist()
    assert any(name.endswith(".pdf") for name in names)
    assert any(name.endswith(".json") for name in names)


def _refused_deletion(page: Any) -> None:
    _toolbar(page, "Supprimer")
    page.get_by_label("Motif de la suppression").fill("Faire de la place")
    page.get_by_role("button", name="Supprimer définitivement").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").filter(has_text="pièce probante")
    assert re.search(
        r"est une pièce probante conservée jusqu'au \d\d/\d\d/\d{4} : elle ne peut pas être "
        r"supprimée avant cette date\.",
        alert.inner_text(),
    )


def _search(page: Any, label: str, value: str, expected: str) -> None:
    _vault_menu(page, "Recherche")
    page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    rows = page.locator("#resultats-table tbody tr")
    assert rows.count() == 1
    assert expected in rows.first.inner_text()


def _transfer(page: Any, folder: str, name: str, target: str) -> None:
    page.goto(page.url.split("/coffre-fort/")[0] + f"/coffre-fort/?dossier=/{folder}/")
    page.get_by_label(f"Sélectionner {name}").check()
    _toolbar(page, "Transférer")
    page.get_by_label("Coffre-fort destinataire").select_option(label=target)
    page.get_by_role("button", name="Transférer une copie des fichiers cochés").click()
    page.wait_for_load_state()
    assert "1 fichier transféré (copie) vers le coffre-fort de" in _confirmation(page)


def _deposit_then_delete_own_file(page: Any, tmp_path: Path) -> int:
    own = tmp_path / "notes-de-travail.txt"
    own.write_text("Relancer la banque lundi.", encoding="utf-8")
    _vault_menu(page, "Accueil")
    _toolbar(page, "Déposer un fichier")
    page.get_by_label("Fichier à déposer").set_input_files(str(own))
    page.get_by_role("button", name="Déposer", exact=True).click()
    page.wait_for_load_state()
    assert "Dépôt de notes-de-travail.txt dans « / »" in _confirmation(page)
    page.get_by_role("link", name="notes-de-travail.txt", exact=True).click()
    page.wait_for_load_state()
    file_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    _toolbar(page, "Supprimer")
    page.get_by_label("Motif de la suppression").fill("Note devenue inutile")
    page.get_by_role("button", name="Supprimer définitivement").click()
    page.wait_for_load_state()
    assert "Suppression de notes-de-travail.txt" in _confirmation(page)
    assert page.get_by_role("link", name="notes-de-travail.txt", exact=True).count() == 0
    return file_id


def _session_history(page: Any) -> str:
    return str(page.get_by_role("complementary", name="Historique de session").inner_text())


def test_a_bailiff_uses_his_vault(browser, site, identities, tmp_path):
    vault = vault_of(identities, DURAND)
    martin = vault_of(identities, MARTIN)
    signification = make_signification(vault.bailiff, REFERENCE)
    source = tmp_path / "archive.zip"
    source.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    archive = deposit_file(
        vault,
        "BANQUE_TEST__SAISIE-2026-0417.zip",
        source,
        depositor=PLATFORM_ACTOR,
        deposited_at=timezone.now() - timedelta(hours=2),
        kind=StoredFile.Kind.ARCHIVE,
        signification_id=signification.pk,
    )
    page = open_page(browser, site, identities[DURAND])

    page.goto(site + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon coffre-fort"
    ).click()
    page.wait_for_url(site + "/coffre-fort/")
    assert page.get_by_role("heading", name="Mon coffre-fort", level=1).is_visible()
    assert page.get_by_label("Occupation").is_visible()
    row = page.locator("#fichiers-table tbody tr", has_text=archive.name)
    assert REFERENCE in row.inner_text() and "archive de signification" in row.inner_text()
    screenshot(page, "40-coffre-huissier")

    _create_then_rename_folder(page, "Saisies", "Saisies attribution 2026")
    _move(page, archive.name, "Saisies attribution 2026")
    screenshot(page, "41-coffre-huissier-dossier")
    page.get_by_role("link", name=archive.name, exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=REFERENCE, exact=True).is_visible()  # to the signification
    _edit_properties(page, "Saisie BANQUE TEST avril", "dupont avril")
    _download_and_proof(page, archive, tmp_path)
    _refused_deletion(page)
    screenshot(page, "42-coffre-huissier-suppression-refusee")

    _search(page, "Mots-clés", "dupont", archive.name)
    screenshot(page, "43-coffre-huissier-recherche")
    _transfer(page, "Saisies attribution 2026", archive.name, "Paul MARTIN")
    copy = StoredFile.objects.get(vault=martin)
    assert (copy.name, copy.sha256) == (archive.name, archive.sha256)

    own = _deposit_then_delete_own_file(page, tmp_path)
    assert Tombstone.objects.get(file_id=own).reason == "Note devenue inutile"

    _vault_menu(page, "Journal")
    journal = page.locator("#journal-table").inner_text()
    for action in ["Suppression", "Suppression refusée", "Transfert d'une copie", "Preuve"]:
        assert action in journal, action
    history = _session_history(page)
    assert "Suppression refusée : " + archive.name in history
    screenshot(page, "44-coffre-huissier-journal")
    _vault_menu(page, "Mon compte")
    assert "Code du patrimoine" in page.locator("#conservation-table").inner_text()
    screenshot(page, "45-coffre-huissier-compte")


def test_a_recipient_uses_its_vault(browser, site, identities, tmp_path, settings):
    bank = vault_of(identities, BANK)
    branch = recipient_vault(
        RecipientFactory(name="BANQUE TEST Agence Lyon", siret="99999001300024")
    )
    served = Deposits(identities, tmp_path / "work").make(
        REFERENCE, timezone.now() - timedelta(hours=1)
    )
    [act] = acts_of(served)
    stored = act.stored_file
    assert stored is not None and stored.vault_id == bank.pk
    page = open_page(browser, site, identities[BANK])

    page.goto(site + "/destinataire/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon coffre-fort"
    ).click()
    page.wait_for_url(site + "/coffre-fort/")
    row = page.locator("#fichiers-table tbody tr", has_text=stored.name)
    assert REFERENCE in row.inner_text() and "acte signifié" in row.inner_text()
    screenshot(page, "46-coffre-destinataire")

    _create_then_rename_folder(page, "Saisies", "Saisies reçues")
    _move(page, stored.name, "Saisies reçues")
    page.get_by_role("link", name=stored.name, exact=True).click()
    page.wait_for_load_state()
    _edit_properties(page, "Saisie sur le compte de M. Dupont", "dupont compte-courant")
    _download_and_proof(page, stored, tmp_path)
    served.refresh_from_db()
    assert served.delivery_state == DeliveryState.IN_PERSON  # downloading opened the act
    _refused_deletion(page)
    screenshot(page, "47-coffre-destinataire-suppression-refusee")

    _search(page, "Référence de la signification", REFERENCE, stored.name)
    screenshot(page, "48-coffre-destinataire-recherche")
    _transfer(page, "Saisies reçues", stored.name, "BANQUE TEST Agence Lyon (SIRET 99999001300024)")
    assert StoredFile.objects.get(vault=branch).sha256 == stored.sha256

    own = _deposit_then_delete_own_file(page, tmp_path)
    assert Tombstone.objects.filter(file_id=own).exists()
    assert "Suppression de notes-de-travail.txt" in _session_history(page)
    _vault_menu(page, "Aide")
    screenshot(page, "49-coffre-destinataire-aide")
