"""Every vault operation goes into the evidence journal (F7.4, *lire le journal*).

The journal entry is the evidence (append-only, a leaf of the journal's Merkle tree, with
the actor's certificate fingerprint); the ``VaultOperation`` row written in the same
transaction only indexes it by vault and file, so that the owner's journal page reads his
entries without a scan.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.vault.models import StoredFile, Vault, VaultOperation


class VaultAction:
    """Action codes of vault operations, spelled once."""

    DEPOSITED = "vault.file.deposited"
    READ = "vault.file.read"
    DOWNLOADED = "vault.file.downloaded"
    MOVED = "vault.file.moved"
    RENAMED = "vault.file.renamed"
    PROPERTIES = "vault.file.properties_edited"
    TRANSFERRED = "vault.file.transferred"
    DELETED = "vault.file.deleted"
    DELETION_REFUSED = "vault.file.deletion_refused"
    HOLD_SET = "vault.file.hold_set"
    HOLD_RELEASED = "vault.file.hold_released"
    PROOF = "vault.file.proof_issued"
    ALTERED = "vault.file.altered"
    MISSING = "vault.file.missing"
    UNREADABLE = "vault.file.unreadable"
    FOLDER_CREATED = "vault.folder.created"
    FOLDER_RENAMED = "vault.folder.renamed"
    FOLDER_DELETED = "vault.folder.deleted"
    QUOTA_EXCEEDED = "vault.quota.exceeded"
    AUDITED = "vault.audit.completed"


def file_facts(stored: StoredFile) -> dict[str, Any]:
    """What identifies a file in an entry, so the entry alone says which content it was."""
    return {
        "file": stored.pk,
        "folder": stored.folder,
        "name": stored.name,
        "kind": stored.kind,
        "hash_algorithm": stored.hash_algorithm,
        "sha256": stored.sha256,
        "size": stored.size,
    }


def record(
    vault: Vault,
    action: str,
    *,
    actor: str,
    stored: StoredFile | None = None,
    data: dict[str, Any] | None = None,
) -> JournalEntry:
    """Journal one operation on ``vault`` (and on ``stored``, when it concerns a file)."""
    payload: dict[str, Any] = {"vault": vault.pk}
    if stored is not None:
        payload.update(file_facts(stored))
        if stored.signification_id is not None:
            payload["signification"] = stored.signification_id
    payload.update(data or {})
    with transaction.atomic():
        # Not filed under the signification: its F6 history tells the service process;
        # the vault's journal tells what became of the files afterwards.
        entry = journal.append(action, actor=actor, data=payload)
        VaultOperation.objects.create(
            vault=vault,
            journal_sequence=entry.sequence,
            file_id=stored.pk if stored is not None else None,
            action=action,
            recorded_at=entry.recorded_at,
        )
    return entry


def vault_entries(vault: Vault) -> Any:
    """The journal entries of one vault, newest first (a queryset, for paging)."""
    sequences = VaultOperation.objects.filter(vault=vault).values("journal_sequence")
    return JournalEntry.objects.filter(sequence__in=sequences).order_by("-sequence")


def file_entries(stored_file_id: int) -> Any:
    sequences = VaultOperation.objects.filter(file_id=stored_file_id).values("journal_sequence")
    return JournalEntry.objects.filter(sequence__in=sequences).order_by("sequence")
