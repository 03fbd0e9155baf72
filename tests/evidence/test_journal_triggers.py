"""The database itself refuses UPDATE and DELETE of journal entries and of the tree's leaves,
whatever the client."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import DatabaseError, connection, transaction

from securact.evidence import journal, tree
from securact.evidence.checking import check_tree
from securact.evidence.guards import strict_journal_guard
from securact.evidence.models import JournalEntry, JournalLeaf

pytestmark = pytest.mark.django_db

FIRST = "(SELECT MIN(sequence) FROM evidence_journalentry)"
STATEMENTS = {
    "update data": f"UPDATE evidence_journalentry SET data = data WHERE sequence = {FIRST}",  # noqa: S608
    "update actor": "UPDATE evidence_journalentry SET actor = 'forged'",
    "delete one": f"DELETE FROM evidence_journalentry WHERE sequence = {FIRST}",  # noqa: S608
    "delete all": "DELETE FROM evidence_journalentry",
    "update a leaf": "UPDATE evidence_journalleaf SET leaf_hash = leaf_hash",
    "delete a leaf": "DELETE FROM evidence_journalleaf WHERE sequence > 0",
}


@pytest.mark.parametrize("statement", STATEMENTS)
def test_raw_sql_is_refused_by_the_trigger(statement: str) -> None:
    journal.append("signification.deposited", actor="platform", signification_id=1)
    journal.append("alert.sent", actor="platform", signification_id=1)
    tree.integrate()

    # The strict guard: on SQLite, the test database otherwise lets the test runner empty it.
    with (
        strict_journal_guard(),
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(STATEMENTS[statement])

    assert JournalEntry.objects.count() == JournalLeaf.objects.count() == 2
    assert check_tree().problems == []


@pytest.mark.django_db(transaction=True)
def test_another_sqlite_client_can_neither_update_nor_delete() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite: a client other than Django, without the trigger's function")
    journal.append("signification.deposited", actor="platform", signification_id=1)
    tree.integrate()
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            other.execute("UPDATE evidence_journalentry SET actor = 'forged'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            other.execute("UPDATE evidence_journalleaf SET sequence = 0")
        for table in ("evidence_journalentry", "evidence_journalleaf"):
            with pytest.raises(sqlite3.OperationalError, match="securact_journal_purge_allowed"):
                other.execute(f"DELETE FROM {table}")  # noqa: S608
    finally:
        other.rollback()
        other.close()

    assert JournalLeaf.objects.count() == 1
    assert check_tree().problems == []
