"""Folders from the folder page (F7.2): create, rename, delete when empty, browse; each
action in the session history and journaled with the signed-in certificate; a refusal shown
in French next to its form (4xx)."""

from __future__ import annotations

import pytest

from securact.vault.journaling import VaultAction
from securact.vault.models import Folder, StoredFile, VaultOperation
from tests.vault_pages.conftest import (
    DURAND,
    fingerprint_of,
    get,
    history,
    post,
    text,
    vault_of,
)

pytestmark = pytest.mark.django_db


def test_create_a_folder_then_browse_into_it(holder, identities):
    client = holder(DURAND)
    response = post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Banques"})
    assert response.status_code == 303
    assert response["Location"] == "/coffre-fort/?dossier=%2FBanques%2F"
    vault = vault_of(identities, DURAND)
    assert Folder.objects.filter(vault=vault, path="/Banques/").exists()
    operation = VaultOperation.objects.get(vault=vault, action=VaultAction.FOLDER_CREATED)
    from securact.evidence.models import JournalEntry

    entry = JournalEntry.objects.get(sequence=operation.journal_sequence)
    assert entry.actor == fingerprint_of(identities, DURAND)
    page = get(client, "/coffre-fort/", {"dossier": "/Banques/"})
    assert page.status_code == 200
    assert 'aria-current="location">Banques<' in page.content.decode()
    assert "Ce dossier ne contient aucun fichier." in text(page)
    assert "Revenir" in text(page)
    assert history(page)[0] == "Création du dossier « /Banques »"
    assert "Création du dossier « /Banques »" in text(page)  # the confirmation
    root = text(get(client, "/coffre-fort/"))
    assert 'href="/coffre-fort/?dossier=/Banques/">Banques</a>' in root


def test_a_taken_name_is_refused_next_to_the_form(holder):
    client = holder(DURAND)
    post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Banques"})
    response = post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Banques"})
    assert response.status_code == 409
    page = text(response)
    assert "existe déjà" in page
    assert "<details open>\n      <summary>Créer dossier</summary>" in page  # the panel is open


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("", 400, "Ce champ est obligatoire."),
        ("a/b", 409, "barre oblique"),
        ("x" * 300, 400, "Au plus 255 caractères (300 saisis)."),
    ],
)
def test_bad_folder_names_are_refused_in_french(holder, name, status, message):
    response = post(holder(DURAND), "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": name})
    assert response.status_code == status
    assert message in text(response)
    assert not Folder.objects.exists()


def test_rename_a_folder_keeps_its_files_content(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    stored = put(vault, "releve.pdf", b"releve", folder="/2026/Banque/")
    response = post(
        client, "/coffre-fort/dossiers/renommer/", {"dossier": "/2026/", "nom": "Année 2026"}
    )
    assert response.status_code == 303
    assert response["Location"] == "/coffre-fort/?dossier=%2FAnn%C3%A9e+2026%2F"
    moved = StoredFile.objects.get(pk=stored.pk)
    assert moved.folder == "/Année 2026/Banque/"
    assert moved.sha256 == stored.sha256 and moved.retain_until == stored.retain_until
    page = get(client, "/coffre-fort/", {"dossier": "/Année 2026/"})
    assert history(page)[0] == "Dossier « /2026 » renommé en « /Année 2026 »"


def test_the_root_cannot_be_renamed(holder):
    client = holder(DURAND)
    assert "Renommer dossier" not in text(get(client, "/coffre-fort/"))
    response = post(client, "/coffre-fort/dossiers/renommer/", {"dossier": "/", "nom": "x"})
    assert response.status_code == 409
    assert "La racine du coffre-fort ne peut pas être renommée." in text(response)


def test_delete_an_empty_folder_but_not_a_full_one(holder, identities, put):
    client = holder(DURAND)
    put(vault_of(identities, DURAND), "a.pdf", b"a", folder="/Plein/")
    post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Vide"})
    response = post(client, "/coffre-fort/dossiers/supprimer/", {"dossier": "/Vide/"})
    assert (response.status_code, response["Location"]) == (303, "/coffre-fort/")
    assert not Folder.objects.filter(path="/Vide/").exists()
    refused = post(client, "/coffre-fort/dossiers/supprimer/", {"dossier": "/Plein/"})
    assert refused.status_code == 409
    assert "n'est pas vide" in text(refused)


def test_an_unknown_folder_is_a_french_404(holder):
    response = get(holder(DURAND), "/coffre-fort/", {"dossier": "/nulle part/"})
    assert response.status_code == 404
    assert "n'existe pas dans ce coffre-fort" in text(response)


def test_names_are_escaped(holder, identities, put):
    client = holder(DURAND)
    put(vault_of(identities, DURAND), "<script>alert(1)</script>.pdf", b"x", folder="/<b>x</b>/")
    page = get(client, "/coffre-fort/").content.decode()
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    inner = get(client, "/coffre-fort/", {"dossier": "/<b>x</b>/"}).content.decode()
    assert "<script>alert(1)</script>" not in inner
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.pdf" in inner
