"""The bailiff downloads the ZIP archive and ``attestation_depot.xml`` of a signification
from the detail: the exact bytes of the vault (SHA-256), as an attachment named as stored
(RFC 5987 for non-ASCII names), with the right content type."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from securact.evidence import journal
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file
from tests.web.test_search_support import (
    archive,
    bailiff_named,
    get,
    make_signification,
    sha256,
    vault_of,
)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def served(signed_in, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"), "REF-ZIP", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    return client, signification, archive(signification, tmp_path / "work")


@pytest.mark.django_db
def test_the_zip_archive_downloads_intact(served):
    client, signification, archived = served
    response = get(client, f"/significations/{signification.pk}/fichiers/{archived.archive.pk}/")

    assert response.status_code == 200
    body = _body(response)
    assert sha256(body) == archived.archive.sha256 == sha256(archived.archive_bytes)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="BANQUE_TEST__REF-ZIP_20260117_140000.zip"'
    )
    assert response["Content-Length"] == str(len(archived.archive_bytes))
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_deposit_certificate_downloads_intact(served):
    client, signification, archived = served
    url = f"/significations/{signification.pk}/fichiers/{archived.certificate.pk}/"
    response = get(client, url)

    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == sha256(archived.certificate_bytes)
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="attestation_depot.xml"'


@pytest.mark.django_db
def test_a_non_ascii_name_is_sent_as_rfc_5987(served, tmp_path):
    client, signification, _archived = served
    source = tmp_path / "releve.pdf"
    source.write_bytes(b"%PDF-1.7 releve")
    stored = deposit_file(
        vault_of(signification.bailiff),
        "Relevé été.pdf",
        source,
        depositor=journal.PLATFORM_ACTOR,
        deposited_at=timezone.now(),
        kind=StoredFile.Kind.OTHER,
        signification_id=signification.pk,
    )

    response = get(client, f"/significations/{signification.pk}/fichiers/{stored.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Relev%C3%A9%20%C3%A9t%C3%A9.pdf"
    )
    assert _body(response) == b"%PDF-1.7 releve"
