"""A stored file whose bytes no longer match the SHA-256 recorded at deposit (or are gone)
is not served: a French page with status 409, and an error in the log naming the
signification — never a 500, never the altered bytes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from securact.vault.storage import blob_name
from tests.web.test_search_support import archive, bailiff_named, get, make_signification


@pytest.fixture
def served(signed_in, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"), "REF-ALTEREE", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    return client, signification, archive(signification, tmp_path / "work"), tmp_path / "vault"


@pytest.mark.django_db
def test_a_tampered_blob_is_refused_with_a_french_page(served, caplog):
    client, signification, archived, vault_dir = served
    blob = vault_dir / blob_name(archived.archive.sha256)
    blob.chmod(0o600)
    blob.write_bytes(archived.archive_bytes[:-1] + b"X")

    with caplog.at_level(logging.ERROR, logger="securact.significations.queries"):
        response = get(
            client, f"/significations/{signification.pk}/fichiers/{archived.archive.pk}/"
        )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "Fichier non servi : contrôle d'intégrité en échec" in page
    assert "ne correspond plus à son empreinte" in page
    assert archived.archive.sha256 in page
    assert any(
        f"signification {signification.pk}" in record.getMessage()
        and "fixity" in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.django_db
def test_a_missing_blob_is_refused_too(served):
    client, signification, archived, vault_dir = served
    (vault_dir / blob_name(archived.certificate.sha256)).unlink()

    response = get(
        client, f"/significations/{signification.pk}/fichiers/{archived.certificate.pk}/"
    )

    assert response.status_code == 409
    assert "Le contenu de ce fichier est introuvable." in response.content.decode()
