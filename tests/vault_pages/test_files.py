"""Files from the folder and file pages (F7.2): move the ticked files, edit properties,
rename, transfer a copy (bailiff to a colleague of his practice, recipient to a vault of the
same organisation), the file's page (NF Z42-020 metadata, its journal); content and proofs
never change; each action journaled with the signed-in certificate and in the session
history."""

from __future__ import annotations

import pytest

from securact.evidence.models import JournalEntry
from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile, VaultOperation
from securact.vault.services import recipient_vault
from tests.factories import RecipientFactory
from tests.vault_pages.conftest import (
    BANK,
    DURAND,
    MARTIN,
    fingerprint_of,
    get,
    history,
    post,
    text,
    vault_of,
)

pytestmark = pytest.mark.django_db


def _entries(stored: StoredFile, action: str) -> list[JournalEntry]:
    sequences = VaultOperation.objects.filter(file_id=stored.pk, action=action).values(
        "journal_sequence"
    )
    return list(JournalEntry.objects.filter(sequence__in=sequences))


def test_the_folder_lists_name_kind_size_date_and_signification(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    put(vault, "archive.zip", b"z" * 27_843, kind=StoredFile.Kind.ARCHIVE)
    page = text(get(client, "/coffre-fort/"))
    assert "archive.zip" in page
    assert "archive de signification" in page and "probante" in page
    assert "27,19 Ko" in page  # the manual's sizes
    assert "Occupation" in page and '<progress id="occupation"' in page
    assert 'aria-label="Sélectionner archive.zip"' in page
    assert 'Télécharger<span class="visually-hidden"> archive.zip</span>' in page


def test_move_the_ticked_files(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    first = put(vault, "a.pdf", b"a", kind=StoredFile.Kind.ACT)
    second = put(vault, "b.pdf", b"b")
    post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Classés"})
    response = post(
        client,
        "/coffre-fort/fichiers/deplacer/",
        {"dossier": "/", "fichiers": [first.pk, second.pk], "cible": "/Classés/"},
    )
    assert (response.status_code, response["Location"]) == (303, "/coffre-fort/")
    for stored in (first, second):
        moved = StoredFile.objects.get(pk=stored.pk)
        assert (moved.folder, moved.sha256) == ("/Classés/", stored.sha256)
        [entry] = _entries(stored, VaultAction.MOVED)
        assert entry.actor == fingerprint_of(identities, DURAND)
    page = get(client, "/coffre-fort/")
    assert history(page)[0] == "2 fichiers déplacés vers « /Classés »"


def test_moving_nothing_ticked_says_so(holder):
    response = post(
        holder(DURAND), "/coffre-fort/fichiers/deplacer/", {"dossier": "/", "cible": "/"}
    )
    assert response.status_code == 400
    assert "Cochez d'abord un ou plusieurs fichiers dans la liste." in text(response)


def test_a_name_taken_in_the_target_refuses_the_move(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    stored = put(vault, "a.pdf", b"a")
    put(vault, "a.pdf", b"other", folder="/Classés/")
    response = post(
        client,
        "/coffre-fort/fichiers/deplacer/",
        {"dossier": "/", "fichiers": [stored.pk], "cible": "/Classés/"},
    )
    assert response.status_code == 409
    assert "Un fichier « a.pdf » existe déjà dans le dossier « /Classés »." in text(response)


def test_the_file_page_shows_its_metadata_and_journal(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    stored = put(vault, "acte.pdf", b"acte", kind=StoredFile.Kind.ACT)
    response = get(client, f"/coffre-fort/fichiers/{stored.pk}/")
    page = text(response)
    for fact in [
        "Métadonnées techniques",
        "SHA-256",
        stored.sha256,
        "la plateforme SECURACT",
        "conservé jusqu'au",
        f"{stored.retain_until:%Y}",
        "Gel juridique",
        "non encore contrôlé",
        "Journal du fichier",
        "Dépôt",
        "Lecture",
    ]:
        assert fact in page, fact
    [read] = _entries(stored, VaultAction.READ)  # *lire les métadonnées* is journaled
    assert read.actor == fingerprint_of(identities, DURAND)


def test_an_altered_file_shows_the_warning(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "acte.pdf", b"acte", kind=StoredFile.Kind.ACT)
    StoredFile.objects.filter(pk=stored.pk).update(fixity_state=StoredFile.Fixity.ALTERED)
    page = text(get(client, f"/coffre-fort/fichiers/{stored.pk}/"))
    assert "contenu altéré" in page
    assert "ne correspond plus à l'empreinte enregistrée" in page


def test_edit_properties_then_find_the_file_by_keyword(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "acte.pdf", b"acte", kind=StoredFile.Kind.ACT)
    response = post(
        client,
        f"/coffre-fort/fichiers/{stored.pk}/proprietes/",
        {"titre": "Saisie Dupont", "description": "Compte courant", "mots_cles": "dupont, 2026"},
    )
    assert response.status_code == 303
    stored.refresh_from_db()
    assert (stored.title, stored.description, stored.keywords) == (
        "Saisie Dupont",
        "Compte courant",
        "dupont, 2026",
    )
    [entry] = _entries(stored, VaultAction.PROPERTIES)
    assert entry.actor == fingerprint_of(identities, DURAND)
    found = text(get(client, "/coffre-fort/recherche/", {"mots_cles": "dupont"}))
    assert "acte.pdf" in found
    assert history(get(client, "/coffre-fort/"))[:2] == [
        "Recherche dans le coffre-fort",
        "Propriétés de acte.pdf modifiées",
    ]


def test_properties_too_long_are_refused_next_to_the_form(holder, identities, put):
    stored = put(vault_of(identities, DURAND), "acte.pdf", b"acte")
    response = post(
        holder(DURAND),
        f"/coffre-fort/fichiers/{stored.pk}/proprietes/",
        {"titre": "t" * 300, "description": "", "mots_cles": ""},
    )
    assert response.status_code == 400
    assert "Au plus 255 caractères (300 saisis)." in text(response)


def test_rename_a_file(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "scan.pdf", b"scan")
    response = post(client, f"/coffre-fort/fichiers/{stored.pk}/renommer/", {"nom": "releve.pdf"})
    assert response.status_code == 303
    stored.refresh_from_db()
    assert stored.name == "releve.pdf"


def test_a_bailiff_transfers_a_copy_to_a_colleague(holder, identities, put):
    client = holder(DURAND)
    martin = vault_of(identities, MARTIN)
    stored = put(vault_of(identities, DURAND), "archive.zip", b"zip", kind=StoredFile.Kind.ARCHIVE)
    page = text(get(client, "/coffre-fort/"))
    assert "Paul MARTIN" in page  # offered in « Coffre-fort destinataire »
    response = post(
        client,
        "/coffre-fort/fichiers/transferer/",
        {"dossier": "/", "fichiers": [stored.pk], "coffre": martin.pk},
    )
    assert response.status_code == 303
    copy = StoredFile.objects.get(vault=martin)
    assert (copy.name, copy.sha256, copy.kind) == ("archive.zip", stored.sha256, stored.kind)
    assert StoredFile.objects.filter(pk=stored.pk).exists()  # the original stays
    after = get(client, "/coffre-fort/")
    assert history(after)[0] == (
        "Transfert d'une copie de archive.zip vers le coffre-fort de Paul MARTIN"
    )


def test_a_recipient_transfers_a_copy_within_its_organisation(holder, identities, put):
    client = holder(BANK)
    branch = recipient_vault(
        RecipientFactory(name="BANQUE TEST Agence Lyon", siret="99999001300024")
    )
    RecipientFactory(name="Autre banque")  # another SIREN: never offered
    stored = put(vault_of(identities, BANK), "acte.pdf", b"acte", kind=StoredFile.Kind.ACT)
    page = text(get(client, "/coffre-fort/"))
    assert "BANQUE TEST Agence Lyon (SIRET 99999001300024)" in page
    assert "Autre banque" not in page
    response = post(
        client,
        "/coffre-fort/fichiers/transferer/",
        {"dossier": "/", "fichiers": [stored.pk], "coffre": branch.pk},
    )
    assert response.status_code == 303
    assert StoredFile.objects.get(vault=branch).sha256 == stored.sha256
