"""Vault deposits: content stored once by SHA-256, idempotent, never overwritten — on the
local directory and on the S3 server alike (``vault_backend``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.utils import timezone

from securact.directory.models import Bailiff
from securact.vault.models import StoredFile, Vault
from securact.vault.services import VaultConflict, deposit_file
from securact.vault.storage import blob_exists, blob_intact, open_blob
from tests.factories import BailiffFactory


@pytest.fixture
def vault(vault_backend, pki_server) -> Vault:
    # pki_server: every new deposit is timestamped by the test PKI's TSA.
    bailiff: Bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint="a" * 64,
        certificate_serial="1",
        certificate_holder=bailiff.full_name,
        certificate_issuer="AC",
        certificate_not_after=timezone.now(),
        certificate_der=b"x",
    )


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.django_db
def test_deposit_records_the_nf_z42_020_metadata_and_stores_the_bytes(
    vault, vault_backend, tmp_path
):
    source = _file(tmp_path, "acte.pdf", b"%PDF-1.7 content")
    stored = deposit_file(
        vault,
        "9991_REF_20261126_101500.pdf",
        source,
        depositor="f" * 64,
        deposited_at=timezone.now(),
        kind=StoredFile.Kind.ACT,
        signification_id=7,
    )
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 content").hexdigest()
    assert stored.size == 16
    with open_blob(stored.sha256) as handle:
        assert handle.read() == b"%PDF-1.7 content"
    assert vault_backend.content(stored.sha256) == b"%PDF-1.7 content"
    if vault_backend.name == "local":
        blob = vault_backend.path(stored.sha256)
        assert oct(blob.stat().st_mode & 0o777) == "0o600"
        assert oct(blob.parent.stat().st_mode & 0o777) == "0o700"
    assert blob_exists(stored.sha256)
    assert blob_intact(stored.sha256)


@pytest.mark.django_db
def test_depositing_the_same_file_twice_keeps_one_entry_and_one_copy(
    vault, vault_backend, tmp_path
):
    source = _file(tmp_path, "a.pdf", b"same")
    first = deposit_file(vault, "a.pdf", source, depositor="f" * 64, deposited_at=timezone.now())
    again = deposit_file(vault, "a.pdf", source, depositor="f" * 64, deposited_at=timezone.now())
    assert again.pk == first.pk
    assert StoredFile.objects.count() == 1
    if vault_backend.name == "s3":  # the content was not sent again
        assert len(vault_backend.versions(first.sha256)) == 1


@pytest.mark.django_db
def test_other_content_under_an_existing_name_is_a_conflict(vault, tmp_path):
    deposit_file(
        vault,
        "a.pdf",
        _file(tmp_path, "1", b"one"),
        depositor="f" * 64,
        deposited_at=timezone.now(),
    )
    with pytest.raises(VaultConflict):
        deposit_file(
            vault,
            "a.pdf",
            _file(tmp_path, "2", b"two"),
            depositor="f" * 64,
            deposited_at=timezone.now(),
        )


@pytest.mark.django_db
def test_a_changed_blob_fails_the_fixity_check(vault, vault_backend, tmp_path):
    stored = deposit_file(
        vault,
        "a.pdf",
        _file(tmp_path, "a", b"evidence"),
        depositor="f" * 64,
        deposited_at=timezone.now(),
    )
    vault_backend.overwrite(stored.sha256, b"evidencf")
    assert not blob_intact(stored.sha256)


@pytest.mark.django_db
def test_a_truncated_blob_fails_the_fixity_check(vault, vault_backend, tmp_path):
    stored = deposit_file(
        vault,
        "a.pdf",
        _file(tmp_path, "a", b"evidence"),
        depositor="f" * 64,
        deposited_at=timezone.now(),
    )
    vault_backend.truncate(stored.sha256)
    assert not blob_intact(stored.sha256)


@pytest.mark.django_db
def test_missing_content_is_reported_not_hidden(vault, vault_backend, tmp_path):
    stored = deposit_file(
        vault,
        "a.pdf",
        _file(tmp_path, "a", b"evidence"),
        depositor="f" * 64,
        deposited_at=timezone.now(),
        kind=StoredFile.Kind.ACT,  # locked on S3: the content still disappears from view
    )
    vault_backend.remove(stored.sha256)
    assert not blob_exists(stored.sha256)
    with pytest.raises(FileNotFoundError):
        open_blob(stored.sha256)
    with pytest.raises(FileNotFoundError):
        blob_intact(stored.sha256)
