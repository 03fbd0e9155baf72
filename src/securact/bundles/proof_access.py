"""``/preuves/journal/<sequence>``: who may have the inclusion proof of a journal entry.

An entry of a signification: the bailiff who served it, or the recipient it was served on
(only the entries its portal shows: ``significations.visibility``). An entry of a vault
operation: the vault's owner. Anyone else, and an entry that does not exist, is
:class:`ProofNotFound` — the same answer, so that the URL says nothing of entries that are
not one's own.
"""

from __future__ import annotations

from typing import Any

from securact.bundles.journal_members import checked_inclusion_proof
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification
from securact.significations.visibility import recipient_sees
from securact.vault.models import Vault, VaultOperation


class ProofNotFound(Exception):
    """Not an entry the signed-in owner may have a proof of."""


def owns_entry(vault: Vault, entry: JournalEntry) -> bool:
    if entry.signification_id is not None:
        signification = (
            Signification.objects.filter(pk=entry.signification_id)
            .only("bailiff_id", "recipient_id")
            .first()
        )
        if signification is None:
            return False
        if vault.bailiff_id is not None:
            return signification.bailiff_id == vault.bailiff_id
        return signification.recipient_id == vault.recipient_id and recipient_sees(entry.action)
    return VaultOperation.objects.filter(journal_sequence=entry.sequence, vault=vault).exists()


def proof_for_owner(vault: Vault, sequence: int) -> dict[str, Any]:
    """The checked inclusion proof of entry ``sequence`` for the owner of ``vault``; raises
    :class:`ProofNotFound`, and ``journal_members.ProofFailed`` if it does not verify."""
    entry = (
        JournalEntry.objects.filter(sequence=sequence)
        .only("sequence", "signification_id", "action")
        .first()
    )
    if entry is None or not owns_entry(vault, entry):
        raise ProofNotFound(sequence)
    return checked_inclusion_proof(sequence)
