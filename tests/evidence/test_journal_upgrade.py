"""Migration 0002 upgrades an existing journal (format 1, hash-chained, as before issue 12):
every entry becomes a leaf in sequence order, the tiles and the head follow, and new entries
are numbered after the last one and become the next leaves."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from securact.evidence import canonical, journal, tree
from securact.evidence.checking import check_tree
from securact.evidence.models import JournalEntry, JournalLeaf
from securact_verifier.merkle import leaf_hash, root_from_leaf_hashes

BEFORE = [("evidence", "0001_initial")]
COUNT = 600  # more than two tiles of leaves


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_journal(count: int) -> list[bytes]:
    """Format 1 entries and the old head, written as the code before issue 12 wrote them;
    their canonical bytes."""
    contents, previous = [], canonical.GENESIS_HASH
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    with connection.cursor() as cursor:
        for number in range(1, count + 1):
            fields = {
                "sequence": number,
                "recorded_at": start + timedelta(seconds=number),
                "actor": "platform",
                "signification_id": number // 7 or None,
                "action": "signification.deposited",
                "data": {"file": f"9991_REF{number}_20261001_100000.pdf", "note": "dépôt"},
                "previous_hash": previous,
            }
            content = canonical.canonical_bytes(**fields)
            entry_hash = canonical.entry_hash(**fields)
            cursor.execute(
                "INSERT INTO evidence_journalentry (sequence, recorded_at, actor, "
                "signification_id, action, data, previous_hash, entry_hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    number,
                    connection.ops.adapt_datetimefield_value(fields["recorded_at"]),
                    fields["actor"],
                    fields["signification_id"],
                    fields["action"],
                    json.dumps(fields["data"]),
                    previous,
                    entry_hash,
                ],
            )
            contents.append(content)
            previous = entry_hash
        cursor.execute("DELETE FROM evidence_journalhead")
        cursor.execute(
            "INSERT INTO evidence_journalhead (id, sequence, entry_hash) VALUES (1, %s, %s)",
            [count, previous],
        )
    return contents


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_existing_journal_becomes_a_tree() -> None:
    latest = _latest()
    _migrate(BEFORE)
    try:
        contents = _old_journal(COUNT)
        _migrate(latest)
    finally:
        _migrate(latest)

    hashes = [leaf_hash(content) for content in contents]
    leaves = list(JournalLeaf.objects.order_by("index").values_list("index", "sequence"))
    assert leaves == [(n, n + 1) for n in range(COUNT)]
    head = tree.current_head()
    assert (head.size, head.root_hash) == (COUNT, root_from_leaf_hashes(hashes))
    assert tree.root_at(300) == root_from_leaf_hashes(hashes[:300])
    assert JournalEntry.objects.get(sequence=COUNT).format == 1
    assert check_tree().problems == []

    entry = journal.append("alert.sent", actor="platform")
    assert entry.sequence == COUNT + 1 and entry.format == 2
    assert tree.tree_head().size == COUNT + 1
    assert tree.leaf_index_of(entry.sequence) == COUNT
    assert check_tree().problems == []
