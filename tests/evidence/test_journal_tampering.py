"""A journal changed behind Django's back (triggers dropped, raw SQL) is caught by the chain
check and by ``securact check_journal`` (exit 1, French message)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from securact.evidence import journal
from securact.evidence.models import JournalEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("triggers_off")]


def _journal_of(count: int) -> None:
    for index in range(count):
        journal.append(
            "signification.deposited",
            actor="platform",
            signification_id=index,
            data={"sha256": "ab" * 32, "file": f"9991_REF{index}_20250102_101500.pdf"},
        )


def _write_raw_data(sequence: int, data: dict) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE evidence_journalentry SET data = {cast} WHERE sequence = %s",  # noqa: S608
            [json.dumps(data), sequence],
        )


def _check_journal() -> tuple[int, str]:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_journal", stdout=StringIO(), stderr=err)
    return int(exit_info.value.code or 0), err.getvalue()


def test_one_changed_byte_in_data_is_reported_at_its_sequence() -> None:
    _journal_of(5)
    data = dict(JournalEntry.objects.get(sequence=3).data)
    data["sha256"] = "ac" + data["sha256"][2:]  # one byte of the deposited file's hash
    _write_raw_data(3, data)

    problems = journal.verify_chain()

    assert [(p.sequence, p.kind) for p in problems] == [(3, "hash")]
    code, message = _check_journal()
    assert code == 1
    assert "Journal altéré" in message
    assert "Entrée n° 3" in message
    assert "modifiée" in message


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link() -> None:
    _journal_of(4)
    entry = JournalEntry.objects.get(sequence=2)
    entry.data = {"sha256": "00" * 32}
    new_hash = entry.computed_hash()
    _write_raw_data(2, entry.data)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evidence_journalentry SET entry_hash = %s WHERE sequence = 2", [new_hash]
        )

    problems = journal.verify_chain()

    assert [(p.sequence, p.kind) for p in problems] == [(3, "link")]


def test_a_removed_entry_in_the_middle_is_a_gap() -> None:
    _journal_of(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_journalentry WHERE sequence = 2")

    problems = journal.verify_chain()

    assert [(p.sequence, p.kind) for p in problems] == [(3, "sequence"), (3, "link")]
    assert "Entrée n° 2 absente" in problems[0].message


def test_entries_cut_from_the_end_are_noticed_through_the_head() -> None:
    _journal_of(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_journalentry WHERE sequence > 2")

    problems = journal.verify_chain()

    assert [(p.sequence, p.kind) for p in problems] == [(4, "head")]
    assert "disparu" in problems[0].message
