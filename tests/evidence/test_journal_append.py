"""Appending numbers each entry, writes it in canonical format 2 and makes it the next leaf
of the journal's Merkle tree; the tree of an untouched journal checks clean."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from securact.evidence import canonical, journal, tree
from securact.evidence.checking import check_tree
from securact.evidence.models import JournalEntry, JournalLeaf, JournalPending
from securact_verifier.merkle import root_from_leaf_hashes

BAILIFF = "a" * 64


def _append_three() -> list[JournalEntry]:
    return [
        journal.append(journal.Action.SUBMITTED, actor=BAILIFF, signification_id=7),
        journal.append(
            "signification.deposited",
            actor="platform",
            signification_id=7,
            data={"file": "9991_REF_20250102_101500.pdf", "size": 1234, "note": "dépôt"},
        ),
        journal.append("vault.fixity_checked", actor="platform", data={"files": 3}),
    ]


def _leaves() -> list[tuple[int, int, bytes]]:
    rows = JournalLeaf.objects.order_by("index").values_list("index", "sequence", "leaf_hash")
    return [(index, sequence, bytes(hashed)) for index, sequence, hashed in rows]


@pytest.mark.django_db
def test_entries_are_numbered_increasingly_and_become_leaves_in_order() -> None:
    entries = _append_three()
    head = tree.tree_head()

    numbers = [entry.sequence for entry in entries]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert all(entry.previous_hash == "" and entry.format == 2 for entry in entries)
    assert [(index, sequence) for index, sequence, _ in _leaves()] == [
        (0, numbers[0]),
        (1, numbers[1]),
        (2, numbers[2]),
    ]
    assert not JournalPending.objects.exists()
    assert head.size == 3
    assert head.root_hash == root_from_leaf_hashes([hashed for _, _, hashed in _leaves()])


@pytest.mark.django_db
def test_entry_and_leaf_hashes_are_sha256_of_the_documented_canonical_json() -> None:
    _, second, _ = _append_three()
    tree.integrate()
    stored = JournalEntry.objects.get(sequence=second.sequence)  # as read back

    document = {
        "action": "signification.deposited",
        "actor": "platform",
        "data": {
            "etsi_event": "ContentConsignment",
            "file": "9991_REF_20250102_101500.pdf",
            "note": "dépôt",
            "size": 1234,
        },
        "format": 2,
        "recorded_at": stored.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "sequence": second.sequence,
        "signification_id": 7,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    content = text.encode("utf-8")
    assert stored.canonical_bytes() == canonical.leaf_bytes(stored) == content
    assert stored.entry_hash == hashlib.sha256(content).hexdigest()
    leaf = JournalLeaf.objects.get(sequence=second.sequence)
    assert bytes(leaf.leaf_hash) == hashlib.sha256(b"\x00" + content).digest()


@pytest.mark.django_db
def test_untouched_journal_checks_clean() -> None:
    _append_three()
    tree.integrate()

    report = check_tree()

    assert report.problems == []
    assert (report.entries, report.tree_size) == (3, 3)


@pytest.mark.django_db
def test_pending_entries_check_clean_before_their_integration() -> None:
    _append_three()  # on_commit never runs inside the test's transaction: all pending

    assert JournalPending.objects.count() == 3
    assert check_tree().problems == []


@pytest.mark.django_db
def test_append_works_inside_the_callers_transaction() -> None:
    with transaction.atomic():
        journal.append("signification.deposited", actor=BAILIFF, signification_id=1)
        journal.append("alert.sent", actor="platform", signification_id=1)

    assert tree.tree_head().size == 2
    assert check_tree().problems == []


@pytest.mark.django_db
def test_append_rolled_back_with_the_caller_leaves_no_leaf() -> None:
    first = journal.append("signification.submitted", actor=BAILIFF, signification_id=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        journal.append("signification.deposited", actor=BAILIFF, signification_id=1)
        raise RuntimeError("the caller's work failed")
    after = journal.append("alert.sent", actor="platform", signification_id=1)

    assert after.sequence > first.sequence  # the number may have been used (PostgreSQL)
    assert tree.tree_head().size == 2
    assert [sequence for _, sequence, _ in _leaves()] == [first.sequence, after.sequence]
    assert check_tree().problems == []


@pytest.mark.django_db
def test_known_actions_carry_their_etsi_event_name() -> None:
    deposited = journal.append("signification.deposited", actor=BAILIFF)
    handed_over = journal.append("act.downloaded", actor=BAILIFF, data={"etsi_event": "X"})
    other = journal.append("vault.folder_created", actor=BAILIFF)

    assert deposited.data["etsi_event"] == "ContentConsignment"
    assert handed_over.data["etsi_event"] == "X"  # the caller's choice wins
    assert "etsi_event" not in other.data


@pytest.mark.django_db
def test_history_of_one_signification_in_order() -> None:
    _append_three()
    journal.append("alert.sent", actor="platform", signification_id=8)

    history = list(journal.entries_for(7))

    assert [e.action for e in history] == ["signification.submitted", "signification.deposited"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"amount": 12.5}, {"when": object()}, {1: "x"}, {"s": "a\x00"}])
def test_data_without_a_portable_json_form_is_refused(bad: dict) -> None:
    with pytest.raises(canonical.NonCanonicalData):
        journal.append("signification.deposited", actor=BAILIFF, data=bad)

    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["", "A" * 64, "ab:cd", "bailiff"])
def test_actor_is_a_fingerprint_or_the_platform(actor: str) -> None:
    with pytest.raises(ValueError, match="actor"):
        journal.append("signification.deposited", actor=actor)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["", "deposited", "Signification.Deposited", "x." + "y" * 99])
def test_action_code_is_dotted_lowercase_and_short(action: str) -> None:
    with pytest.raises(ValueError, match="action"):
        journal.append(action, actor="platform")
