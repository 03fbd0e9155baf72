"""The vault's business operations (F7.2, F7.4): what the pages (bailiff and recipient) call.

Every operation is journaled (vault/journaling.py ``record``) with the actor's certificate
fingerprint (or ``journal.PLATFORM_ACTOR``); every refusal is a :class:`VaultRefusal` whose
``message`` is French. Moving, renaming, editing properties or transferring never touches a
file's content or its proofs (SHA-256, retention end, deposit timestamp).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from securact.vault.browse import FolderListing, Subfolder, list_folder, search
from securact.vault.errors import VaultRefusal
from securact.vault.journal_export import ACTION_LABELS, action_label, vault_journal_csv
from securact.vault.models import Folder, StoredFile, Tombstone, Vault
from securact.vault.quota import Occupation, format_size, occupation, quota_warning

__all__ = [
    "ACTION_LABELS",
    "FolderListing",
    "Occupation",
    "Subfolder",
    "VaultRefusal",
    "action_label",
    "create_folder",
    "delete_file",
    "delete_folder",
    "edit_properties",
    "format_size",
    "list_folder",
    "move_files",
    "occupation",
    "quota_warning",
    "record_download",
    "record_read",
    "rename_file",
    "rename_folder",
    "search",
    "set_legal_hold",
    "transfer_copy",
    "transfer_targets",
    "upload_file",
    "vault_journal_csv",
]


def create_folder(vault: Vault, parent: str, name: str, *, actor: str) -> Folder:
    raise NotImplementedError


def rename_folder(vault: Vault, path: str, new_name: str, *, actor: str) -> str:
    raise NotImplementedError


def delete_folder(vault: Vault, path: str, *, actor: str) -> None:
    raise NotImplementedError


def move_files(vault: Vault, file_ids: Iterable[int], target_folder: str, *, actor: str) -> int:
    raise NotImplementedError


def rename_file(stored: StoredFile, new_name: str, *, actor: str) -> StoredFile:
    raise NotImplementedError


def edit_properties(
    stored: StoredFile, *, title: str, description: str, keywords: str, actor: str
) -> StoredFile:
    raise NotImplementedError


def transfer_targets(vault: Vault) -> object:
    raise NotImplementedError


def transfer_copy(
    stored: StoredFile, target_vault: Vault, *, actor: str, folder: str = "/"
) -> StoredFile:
    raise NotImplementedError


def upload_file(
    vault: Vault, name: str, source: Path, *, folder: str = "/", actor: str
) -> StoredFile:
    raise NotImplementedError


def delete_file(stored: StoredFile, *, actor: str, reason: str) -> Tombstone:
    raise NotImplementedError


def set_legal_hold(stored: StoredFile, *, on: bool, reason: str, actor: str) -> StoredFile:
    raise NotImplementedError


def record_download(stored: StoredFile, *, actor: str) -> None:
    raise NotImplementedError


def record_read(stored: StoredFile, *, actor: str) -> None:
    raise NotImplementedError
