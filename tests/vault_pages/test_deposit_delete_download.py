"""An own file deposited (within the quota), deleted (a tombstone stays), evidence whose
deletion is refused with the French reason; downloads streamed from the store and journaled;
a recipient's download of a served act opens it as from the portal; the proof downloaded."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.utils import timezone

from securact.significations.models import DeliveryState
from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile, Tombstone, VaultOperation
from securact.vault.storage import blob_name, blob_storage
from tests.portal.conftest import Deposits, acts_of
from tests.vault_pages.conftest import (
    BANK,
    DURAND,
    body,
    get,
    history,
    post,
    text,
    vault_of,
)

pytestmark = pytest.mark.django_db


def _upload(client, name: str, content: bytes, folder: str = "/"):
    return post(
        client,
        "/coffre-fort/fichiers/deposer/",
        {"dossier": folder, "fichier": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("label", [DURAND, BANK])
def test_deposit_an_own_file_then_delete_it(holder, identities, label):
    client = holder(label)
    vault = vault_of(identities, label)
    response = _upload(client, "notes.txt", b"mes notes")
    assert (response.status_code, response["Location"]) == (303, "/coffre-fort/")
    stored = StoredFile.objects.get(vault=vault, name="notes.txt")
    assert (stored.kind, stored.retain_until) == (StoredFile.Kind.OTHER, None)
    page = get(client, f"/coffre-fort/fichiers/{stored.pk}/")
    assert "sans durée imposée" in text(page)
    deleted = post(client, f"/coffre-fort/fichiers/{stored.pk}/supprimer/", {"motif": "doublon"})
    assert (deleted.status_code, deleted["Location"]) == (303, "/coffre-fort/")
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    tombstone = Tombstone.objects.get(file_id=stored.pk)
    assert (tombstone.name, tombstone.reason, tombstone.sha256) == (
        "notes.txt",
        "doublon",
        stored.sha256,
    )
    assert history(get(client, "/coffre-fort/"))[:2] == [
        "Suppression de notes.txt",
        "Dépôt de notes.txt dans « / »",
    ]


def test_a_deletion_needs_a_reason(holder, identities, put):
    stored = put(vault_of(identities, DURAND), "notes.txt", b"n")
    response = post(holder(DURAND), f"/coffre-fort/fichiers/{stored.pk}/supprimer/", {})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in text(response)
    assert StoredFile.objects.filter(pk=stored.pk).exists()


def test_deleting_evidence_is_refused_with_the_french_reason(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "archive.zip", b"zip", kind=StoredFile.Kind.ARCHIVE)
    response = post(client, f"/coffre-fort/fichiers/{stored.pk}/supprimer/", {"motif": "place"})
    assert response.status_code == 409
    page = text(response)
    end = timezone.localtime(stored.retain_until).strftime("%d/%m/%Y")
    assert (
        f"« archive.zip » est une pièce probante conservée jusqu'au {end} : "
        "elle ne peut pas être supprimée avant cette date."
    ) in page
    assert "<details open>\n      <summary>Supprimer</summary>" in page
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert VaultOperation.objects.filter(
        file_id=stored.pk, action=VaultAction.DELETION_REFUSED
    ).exists()
    assert history(get(client, "/coffre-fort/"))[0] == "Suppression refusée : archive.zip"


def test_an_upload_past_the_quota_is_refused_in_french(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    vault.quota_bytes = 100
    vault.save(update_fields=["quota_bytes"])
    response = _upload(client, "gros.bin", b"x" * 150)
    assert response.status_code == 409
    assert "quota de votre coffre-fort serait dépassé : 150 octets à ajouter" in text(response)
    assert not StoredFile.objects.filter(vault=vault).exists()


def test_a_vault_over_its_quota_warns_its_owner(holder, identities, put):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    put(vault, "archive.zip", b"z" * 300, kind=StoredFile.Kind.ARCHIVE)  # the service's deposit
    vault.quota_bytes = 200
    vault.save(update_fields=["quota_bytes"])
    page = text(get(client, "/coffre-fort/"))
    assert "Votre coffre-fort dépasse son quota" in page
    assert 'class="vault-occupation vault-full"' in page


def test_a_download_streams_the_stored_bytes_and_is_journaled(holder, identities, put):
    client = holder(DURAND)
    content = b"%PDF-1.7 " + b"0" * 3_000_000
    stored = put(vault_of(identities, DURAND), "gros.pdf", content)
    response = get(client, f"/coffre-fort/fichiers/{stored.pk}/telecharger/")
    assert response.status_code == 200
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="gros.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == content
    assert VaultOperation.objects.filter(file_id=stored.pk, action=VaultAction.DOWNLOADED).exists()
    assert history(get(client, "/coffre-fort/"))[0] == "Téléchargement de gros.pdf"


def test_content_missing_from_the_store_is_a_french_409(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "perdu.pdf", b"perdu")
    blob_storage().delete(blob_name(stored.sha256))
    response = get(client, f"/coffre-fort/fichiers/{stored.pk}/telecharger/")
    assert response.status_code == 409
    assert "est introuvable dans le stockage du coffre-fort" in text(response)
    assert not VaultOperation.objects.filter(
        file_id=stored.pk, action=VaultAction.DOWNLOADED
    ).exists()


def test_a_recipient_downloading_a_served_act_from_its_vault_opens_it(holder, identities, tmp_path):
    client = holder(BANK)
    served = Deposits(identities, tmp_path / "work").make(
        "SAISIE-2026-0417", timezone.now() - timedelta(hours=1)
    )
    [act] = acts_of(served)
    response = get(client, f"/coffre-fort/fichiers/{act.stored_file_id}/telecharger/")
    assert response.status_code == 200
    body(response)
    served.refresh_from_db()
    assert served.opened_at is not None
    assert served.delivery_state == DeliveryState.IN_PERSON


def test_the_proof_downloads_as_a_zip(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "archive.zip", b"zip", kind=StoredFile.Kind.ARCHIVE)
    response = get(client, f"/coffre-fort/fichiers/{stored.pk}/preuve/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(body(response))).namelist()
    assert any(name.endswith(".pdf") for name in names)
    assert any(name.endswith(".json") for name in names)
    assert VaultOperation.objects.filter(file_id=stored.pk, action=VaultAction.PROOF).exists()
    assert history(get(client, "/coffre-fort/"))[0] == "Preuve de archive.zip"
