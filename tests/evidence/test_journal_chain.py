"""Appending links each entry to the one before; the chain of an untouched journal is clean."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from securact.evidence import canonical, journal
from securact.evidence.models import JournalEntry

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


@pytest.mark.django_db
def test_entries_are_numbered_from_one_and_linked() -> None:
    first, second, third = _append_three()

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == canonical.GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash


@pytest.mark.django_db
def test_entry_hash_is_sha256_of_the_documented_canonical_json() -> None:
    _append_three()
    stored = JournalEntry.objects.get(sequence=2)  # as read back from the database

    document = {
        "action": "signification.deposited",
        "actor": "platform",
        "data": {
            "etsi_event": "ContentConsignment",
            "file": "9991_REF_20250102_101500.pdf",
            "note": "dépôt",
            "size": 1234,
        },
        "previous_hash": stored.previous_hash,
        "recorded_at": stored.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "sequence": 2,
        "signification_id": 7,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.entry_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.django_db
def test_untouched_journal_verifies_clean() -> None:
    _append_three()

    assert journal.verify_chain() == []
    assert journal.check_chain().entries == 3


@pytest.mark.django_db
def test_append_works_inside_the_callers_transaction() -> None:
    with transaction.atomic():
        journal.append("signification.deposited", actor=BAILIFF, signification_id=1)
        journal.append("alert.sent", actor="platform", signification_id=1)

    assert journal.verify_chain() == []


@pytest.mark.django_db
def test_append_rolled_back_with_the_caller_leaves_no_gap() -> None:
    journal.append("signification.submitted", actor=BAILIFF, signification_id=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        journal.append("signification.deposited", actor=BAILIFF, signification_id=1)
        raise RuntimeError("the caller's work failed")
    after = journal.append("alert.sent", actor="platform", signification_id=1)

    assert after.sequence == 2
    assert journal.verify_chain() == []


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

    assert [e.sequence for e in history] == [1, 2]


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
