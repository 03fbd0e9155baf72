"""A vault is reachable only by its owner (F7.1): every page finds the vault from the signed-in
certificate, never from an id in the URL; another vault's file is the same 404 as a missing
one, for every file URL and action; bailiff and recipient each see only their own."""

from __future__ import annotations

import pytest
from django.test import Client

from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile, VaultOperation
from tests.vault_pages.conftest import BANK, DURAND, MARTIN, get, post, text, vault_of

pytestmark = pytest.mark.django_db


def test_another_vaults_file_is_not_found_on_every_file_url(holder, identities, put):
    durand = holder(DURAND)
    theirs = put(vault_of(identities, MARTIN), "martin-prive.pdf", b"martin")
    base = f"/coffre-fort/fichiers/{theirs.pk}/"
    for path in [base, base + "telecharger/", base + "preuve/"]:
        response = get(durand, path)
        assert response.status_code == 404, path
        assert "martin-prive.pdf" not in text(response)
        assert "introuvable dans votre coffre-fort" in text(response)
    for path, data in [
        (base + "proprietes/", {"titre": "pris", "description": "", "mots_cles": ""}),
        (base + "renommer/", {"nom": "pris.pdf"}),
        (base + "supprimer/", {"motif": "nettoyage"}),
    ]:
        assert post(durand, path, data).status_code == 404, path
    theirs.refresh_from_db()
    assert (theirs.name, theirs.title) == ("martin-prive.pdf", "")
    # Nothing was journaled on Martin's file by Durand's requests.
    assert not VaultOperation.objects.filter(file_id=theirs.pk).exclude(
        action=VaultAction.DEPOSITED
    )


def test_a_bailiff_and_a_recipient_each_list_only_their_own_files(holder, identities, put):
    put(vault_of(identities, DURAND), "archive-durand.zip", b"d", kind=StoredFile.Kind.ARCHIVE)
    put(vault_of(identities, BANK), "acte-banque.pdf", b"b", kind=StoredFile.Kind.ACT)
    put(vault_of(identities, MARTIN), "archive-martin.zip", b"m", kind=StoredFile.Kind.ARCHIVE)
    durand_page = text(get(holder(DURAND), "/coffre-fort/"))
    bank_page = text(get(holder(BANK), "/coffre-fort/"))
    assert "archive-durand.zip" in durand_page
    assert "acte-banque.pdf" not in durand_page and "archive-martin.zip" not in durand_page
    assert "acte-banque.pdf" in bank_page
    assert "archive-durand.zip" not in bank_page and "archive-martin.zip" not in bank_page
    found = text(get(holder(BANK), "/coffre-fort/recherche/", {"texte": "archive"}))
    assert "archive-durand.zip" not in found and "Aucun fichier ne correspond" in found


def test_ticking_another_vaults_file_moves_nothing(holder, identities, put):
    durand = holder(DURAND)
    mine = put(vault_of(identities, DURAND), "mien.pdf", b"1")
    theirs = put(vault_of(identities, MARTIN), "sien.pdf", b"2")
    post(durand, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Classement"})
    response = post(
        durand,
        "/coffre-fort/fichiers/deplacer/",
        {"dossier": "/", "fichiers": [mine.pk, theirs.pk], "cible": "/Classement/"},
    )
    assert response.status_code == 400
    assert "n'est plus dans ce dossier" in text(response)
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (mine.folder, theirs.folder) == ("/", "/")


def test_a_copy_goes_only_to_a_vault_offered(holder, identities, put):
    """Durand may transfer to Martin (same practice), never to a bank's vault."""
    durand = holder(DURAND)
    vault_of(identities, MARTIN)
    mine = put(vault_of(identities, DURAND), "mien.pdf", b"1")
    bank = vault_of(identities, BANK)
    response = post(
        durand,
        "/coffre-fort/fichiers/transferer/",
        {"dossier": "/", "fichiers": [mine.pk], "coffre": bank.pk},
    )
    assert response.status_code == 400
    assert "Choisissez un coffre-fort de la liste" in text(response)
    assert not StoredFile.objects.filter(vault=bank).exists()


def test_an_operator_has_no_vault_pages(identities, pki_server, demo_directory, settings):
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    operator = identities["operator"]
    client = Client(HTTP_X_SSL_CLIENT_CERT=operator.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS")
    response = get(client, "/coffre-fort/")
    assert response.status_code == 403
    assert "réservé à son titulaire" in text(response)
    refused = post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "x"})
    assert refused.status_code == 403


def test_no_page_takes_a_vault_id():
    from django.urls import get_resolver

    patterns = get_resolver("securact.vault_pages.urls").url_patterns
    assert all("vault" not in str(pattern.pattern) for pattern in patterns)
    assert all("coffre" not in str(pattern.pattern) for pattern in patterns)
