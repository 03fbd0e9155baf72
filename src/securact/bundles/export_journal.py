"""The journal part of an export: the entries concerning the owner (canonical bytes) with
their inclusion proofs against the latest checkpoint, every checkpoint (signed note, RFC
3161 timestamp, consistency proof from the one before), and the certificates to check
them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db.models import QuerySet

from securact.bundles import journal_members, trust
from securact.bundles.bundle import json_bytes
from securact.evidence.models import JournalEntry

JOURNAL = "journal"
CERTIFICATES = "certificats"


def export_entries(
    entries: QuerySet[JournalEntry], payload: Path, tick: Callable[[], None]
) -> tuple[int, int]:
    """Entries and proofs into ``payload/journal``; (entries written, tree size proved
    against). The checkpoint is the latest, published now if the tree grew since."""
    checkpoint = journal_members.checkpoint_now()
    folder = payload / JOURNAL
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "proofs").mkdir(parents=True, exist_ok=True)
    count = 0
    for entry in entries.iterator(chunk_size=2000):
        if not journal_members.included(entry.sequence, checkpoint.tree_size):
            continue  # appended after the export's checkpoint
        (folder / "entries" / f"{entry.sequence}.json").write_bytes(
            journal_members.entry_bytes(entry)
        )
        proof = journal_members.inclusion_proof(entry.sequence, checkpoint.tree_size)
        (folder / "proofs" / f"{entry.sequence}.json").write_bytes(json_bytes(proof))
        count += 1
        tick()
    return count, checkpoint.tree_size


def export_checkpoints(payload: Path) -> int:
    """``journal/checkpoints/<size>.note``, ``.tsr`` and ``.consistency.json``."""
    folder = payload / JOURNAL / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for checkpoint in journal_members.all_checkpoints():
        size = checkpoint.tree_size
        (folder / f"{size}.note").write_bytes(checkpoint.note)
        (folder / f"{size}.tsr").write_bytes(checkpoint.timestamp_response)
        if checkpoint.consistency is not None:
            (folder / f"{size}.consistency.json").write_bytes(json_bytes(checkpoint.consistency))
        count += 1
    return count


def export_certificates(payload: Path) -> None:
    folder = payload / CERTIFICATES
    folder.mkdir(parents=True, exist_ok=True)
    chain = trust.chain_of(journal_members.journal_certificate_file())
    (folder / "plateforme-journal.pem").write_bytes(trust.pem(chain))
    (folder / "autorites.pem").write_bytes(trust.authorities_pem())
