"""A journal changed behind Django's back (triggers dropped, raw SQL) is caught by the tree
check and by ``securact check_journal`` (exit 1, French message naming the entry)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from securact.evidence import journal, tree
from securact.evidence.checking import check_tree
from securact.evidence.models import JournalEntry, JournalLeaf
from tests.evidence.legacy_journal import legacy_entries, upgrade_to_tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("triggers_off")]


def _journal_of(count: int, *, integrated: bool = True) -> list[int]:
    numbers = [
        journal.append(
            "signification.deposited",
            actor="platform",
            signification_id=index,
            data={"sha256": "ab" * 32, "file": f"9991_REF{index}_20250102_101500.pdf"},
        ).sequence
        for index in range(count)
    ]
    if integrated:
        tree.integrate()
    return numbers


def _write_raw_data(sequence: int, data: dict) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE evidence_journalentry SET data = {cast} WHERE sequence = %s",  # noqa: S608
            [json.dumps(data), sequence],
        )


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _check_journal() -> tuple[int, str]:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_journal", stdout=StringIO(), stderr=err)
    return int(exit_info.value.code or 0), err.getvalue()


def _problems() -> list[tuple[int | None, str]]:
    return [(p.sequence, p.kind) for p in check_tree().problems]


def _one_byte_changed(sequence: int) -> None:
    data = dict(JournalEntry.objects.get(sequence=sequence).data)
    data["sha256"] = "ac" + data["sha256"][2:]  # one byte of the deposited file's hash
    _write_raw_data(sequence, data)


def test_one_changed_byte_in_data_is_reported_at_its_sequence() -> None:
    third = _journal_of(5)[2]
    _one_byte_changed(third)

    assert _problems() == [(third, "hash")]
    code, message = _check_journal()
    assert code == 1
    assert "Journal altéré" in message
    assert f"Entrée n° {third}" in message
    assert "modifiée" in message


def test_a_change_before_integration_is_caught_against_the_pending_leaf() -> None:
    third = _journal_of(5, integrated=False)[2]
    _one_byte_changed(third)

    assert _problems() == [(third, "hash")]
    tree.integrate()  # integration takes the leaf hash recorded at append time
    assert _problems() == [(third, "hash")]


def test_an_entry_rewritten_with_a_fresh_hash_no_longer_matches_its_leaf() -> None:
    second = _journal_of(4)[1]
    entry = JournalEntry.objects.get(sequence=second)
    entry.data = {"sha256": "00" * 32}
    _write_raw_data(second, entry.data)
    _execute(
        "UPDATE evidence_journalentry SET entry_hash = %s WHERE sequence = %s",
        [entry.computed_hash(), second],
    )

    assert _problems() == [(second, "hash")]


def test_a_removed_entry_in_the_middle_is_named_by_its_leaf() -> None:
    second = _journal_of(4)[1]
    _execute("DELETE FROM evidence_journalentry WHERE sequence = %s", [second])

    problems = check_tree().problems

    assert [(p.sequence, p.kind) for p in problems] == [(second, "missing")]
    assert f"Entrée n° {second} absente" in problems[0].message
    assert "feuille n° 1" in problems[0].message


def test_entries_cut_from_the_end_are_named_by_their_leaves() -> None:
    numbers = _journal_of(4)
    _execute("DELETE FROM evidence_journalentry WHERE sequence > %s", [numbers[1]])

    assert _problems() == [(numbers[2], "missing"), (numbers[3], "missing")]


def test_an_entry_without_leaf_nor_pending_row_is_reported() -> None:
    numbers = _journal_of(3)
    _execute("DELETE FROM evidence_journalleaf WHERE sequence = %s", [numbers[2]])
    _execute("UPDATE evidence_journalhead SET tree_size = 2", [])

    assert (numbers[2], "leaf") in _problems()


def test_a_removed_leaf_in_the_middle_is_a_gap_in_the_tree() -> None:
    numbers = _journal_of(4)
    _execute("DELETE FROM evidence_journalleaf WHERE sequence = %s", [numbers[1]])

    problems = _problems()

    assert (None, "index") in problems
    assert (numbers[1], "leaf") in problems


def test_a_leaf_index_given_twice_is_reported() -> None:
    numbers = _journal_of(4)
    _execute('UPDATE evidence_journalleaf SET "index" = 1 WHERE sequence = %s', [numbers[2]])

    problems = check_tree().problems

    assert (None, "index") in [(p.sequence, p.kind) for p in problems]
    assert any("en double" in p.message for p in problems)


def test_a_changed_leaf_is_caught_by_its_tile_and_names_the_entry() -> None:
    numbers = _journal_of(5)
    _execute(
        "UPDATE evidence_journalleaf SET leaf_hash = %s WHERE sequence = %s",
        [b"\x11" * 32, numbers[3]],
    )

    problems = _problems()

    assert (numbers[3], "hash") in problems  # the entry no longer matches its leaf
    assert (numbers[3], "tile") in problems  # nor the leaf its tile


def test_a_head_with_another_root_is_reported() -> None:
    _journal_of(3)
    _execute("UPDATE evidence_journalhead SET root_hash = %s", [b"\x22" * 32])

    assert _problems() == [(None, "root")]


def test_legacy_entries_keep_their_chain_checked() -> None:
    entries = legacy_entries(4)
    upgrade_to_tree()
    journal.append("alert.sent", actor="platform")
    tree.integrate()
    assert _problems() == []

    _execute("DELETE FROM evidence_journalentry WHERE sequence = 2", [])

    assert _problems() == [(3, "sequence"), (3, "link"), (entries[1].sequence, "missing")]


def test_a_legacy_entry_rewritten_with_a_fresh_hash_breaks_the_next_link() -> None:
    legacy_entries(4)
    upgrade_to_tree()
    entry = JournalEntry.objects.get(sequence=2)
    entry.data = {"sha256": "00" * 32}
    _write_raw_data(2, entry.data)
    _execute(
        "UPDATE evidence_journalentry SET entry_hash = %s WHERE sequence = 2",
        [entry.computed_hash()],
    )

    assert _problems() == [(2, "hash"), (3, "link")]
    assert JournalLeaf.objects.count() == 4
