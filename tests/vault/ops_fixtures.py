"""Fixtures of the vault operations tests (imported by the test_operations* modules:
tests/vault/conftest.py belongs to the storage backends)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from securact.directory.models import Bailiff, Practice, Recipient
from securact.evidence.models import JournalEntry
from securact.vault.journaling import vault_entries
from securact.vault.models import StoredFile, Vault
from securact.vault.services import deposit_file
from tests.factories import BailiffFactory, RecipientFactory

OWNER = "f" * 64
COLLEAGUE = "e" * 64
SERVICE = "d" * 64  # the bailiff's certificate that deposits acts


def bailiff_vault(bailiff: Bailiff, fingerprint: str) -> Vault:
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint=fingerprint,
        certificate_holder=bailiff.full_name,
    )


def recipient_vault(recipient: Recipient, fingerprint: str | None) -> Vault:
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.RECIPIENT,
        recipient=recipient,
        certificate_fingerprint=fingerprint,
    )


@pytest.fixture
def vault_dir(settings, tmp_path) -> Path:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    return Path(settings.SECURACT_VAULT_DIR)


@pytest.fixture
def practice(db) -> Practice:
    return BailiffFactory().practice


@pytest.fixture
def vault(vault_dir, practice) -> Vault:
    return bailiff_vault(BailiffFactory(practice=practice), OWNER)


@pytest.fixture
def colleague_vault(vault_dir, practice) -> Vault:
    return bailiff_vault(BailiffFactory(practice=practice), COLLEAGUE)


@pytest.fixture
def bank_vault(vault_dir) -> Vault:
    return recipient_vault(RecipientFactory(), "b" * 64)


class Depositor:
    """Deposits files with chosen content, kind, folder and date through deposit_file."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "sources"
        self.folder.mkdir(exist_ok=True)
        self.count = 0

    def source(self, content: bytes) -> Path:
        self.count += 1
        path = self.folder / f"source-{self.count}"
        path.write_bytes(content)
        return path

    def __call__(
        self,
        vault: Vault,
        name: str,
        content: bytes = b"content",
        *,
        folder: str = "/",
        kind: str = StoredFile.Kind.OTHER,
        depositor: str = SERVICE,
        days_ago: int = 0,
        signification_id: int | None = None,
    ) -> StoredFile:
        return deposit_file(
            vault,
            name,
            self.source(content),
            depositor=depositor,
            deposited_at=timezone.now() - timedelta(days=days_ago),
            kind=kind,
            folder=folder,
            signification_id=signification_id,
        )


@pytest.fixture
def deposit(tmp_path, vault_dir) -> Depositor:
    return Depositor(tmp_path)


def last_entry(vault: Vault) -> JournalEntry:
    entry = vault_entries(vault).first()
    assert entry is not None
    return entry


def actions(vault: Vault) -> list[str]:
    return [entry.action for entry in vault_entries(vault).order_by("sequence")]


def proofs(stored: StoredFile) -> tuple[object, ...]:
    """What moving, renaming or editing must never change."""
    stored.refresh_from_db()
    timestamp = stored.deposit_timestamp
    return (
        stored.sha256,
        stored.size,
        stored.kind,
        stored.retain_until,
        stored.deposited_at,
        stored.depositor,
        bytes(timestamp) if timestamp is not None else None,
    )
