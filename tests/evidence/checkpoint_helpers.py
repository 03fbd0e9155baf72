"""Helpers of the checkpoint tests: a journal of n entries, and an entry rewritten as a
tamperer with SQL access would do it — the entry, then its leaf, the tiles and the head
rebuilt to match, so that nothing inside the database shows the change."""

from __future__ import annotations

import json

from django.db import connection

from securact.evidence import journal, tree
from securact.evidence.models import JournalEntry, JournalLeaf
from securact_verifier.merkle import leaf_hash


def journal_of(count: int) -> list[int]:
    """Append ``count`` entries (integrated); their sequence numbers."""
    numbers = [
        journal.append(
            "signification.deposited",
            actor="platform",
            signification_id=index + 1,
            data={"sha256": "ab" * 32},
        ).sequence
        for index in range(count)
    ]
    tree.integrate()
    return numbers


def rewrite_entry(sequence: int) -> None:
    """Change one byte of the entry's data, its hash, its leaf, the tiles and the head
    (needs the ``triggers_off`` fixture)."""
    entry = JournalEntry.objects.get(sequence=sequence)
    entry.data = {**entry.data, "sha256": "ac" + entry.data["sha256"][2:]}
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE evidence_journalentry SET data = {cast}, entry_hash = %s "  # noqa: S608
            "WHERE sequence = %s",
            [json.dumps(entry.data), entry.computed_hash(), sequence],
        )
    rebuild_tree(list(JournalLeaf.objects.order_by("index").values_list("sequence", flat=True)))


def rebuild_tree(sequences: list[int]) -> None:
    """Leaves, tiles and head made anew from these entries, in this order (needs the
    ``triggers_off`` fixture)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_journalleaf")
        cursor.execute("DELETE FROM evidence_journaltile")
        cursor.execute("DELETE FROM evidence_journalhead")
    entries = JournalEntry.objects.in_bulk(sequences)
    tree.load((s, leaf_hash(entries[s].canonical_bytes())) for s in sequences)
