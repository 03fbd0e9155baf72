"""A published checkpoint: a C2SP signed note by the journal key (openssl and sigstore-python
verify it), timestamped by the TSA (``openssl ts -verify``), with the consistency proof from
the previous one (verified by the verifier's RFC 9162 code); never two of the same size."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from securact.evidence import checkpoints, journal_signer, tree
from securact.evidence.checkpoint_check import verify_checkpoints
from securact.evidence.checkpoint_models import Checkpoint
from securact_verifier import merkle, note
from tests.evidence.checkpoint_helpers import journal_of
from tests.evidence.note_checks import openssl_verify, sigstore_verify

pytestmark = pytest.mark.django_db


def test_a_checkpoint_states_origin_size_and_root_and_is_signed(tmp_path: Path) -> None:
    journal_of(5)

    published = checkpoints.publish_checkpoint(force=True)

    assert published is not None
    head = tree.tree_head()
    body, _sigs = note.split_note(published.note)
    assert body == note.checkpoint_body("securact.example/journal", 5, head.root_hash)
    assert (published.tree_size, bytes(published.root_hash)) == (5, head.root_hash)
    public = journal_signer.journal_public_key()
    assert openssl_verify(published.note, public, tmp_path)
    signed = sigstore_verify(published.note, public)
    assert signed.checkpoint.log_size == 5
    assert signed.checkpoint.log_hash == head.root_hash.hex()


def test_the_timestamp_verifies_with_openssl_over_the_whole_note(
    tmp_path: Path, demo_layout
) -> None:
    journal_of(2)
    published = checkpoints.publish_checkpoint(force=True)
    assert published is not None
    (tmp_path / "checkpoint.note").write_text(published.note, encoding="utf-8")
    (tmp_path / "checkpoint.tsr").write_bytes(bytes(published.timestamp_response))
    verify = [
        "openssl",
        "ts",
        "-verify",
        "-in",
        str(tmp_path / "checkpoint.tsr"),
        "-CAfile",
        str(demo_layout.trust / "roots.pem"),
        "-untrusted",
        str(demo_layout.pki / "tsa.cert.pem"),
    ]

    done = subprocess.run(
        [*verify, "-data", str(tmp_path / "checkpoint.note")], capture_output=True, text=True
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Verification: OK" in done.stdout
    (tmp_path / "other.note").write_text(published.note.replace("\n2\n", "\n3\n"))
    other = subprocess.run([*verify, "-data", str(tmp_path / "other.note")], capture_output=True)
    assert other.returncode != 0


def test_successive_checkpoints_are_consistent() -> None:
    journal_of(3)
    first = checkpoints.publish_checkpoint(force=True)
    journal_of(6)
    second = checkpoints.publish_checkpoint(force=True)
    assert first is not None and second is not None

    assert second.previous == first
    document = checkpoints.consistency_document(second)
    assert (document["old_size"], document["new_size"]) == (3, 9)
    merkle.verify_consistency(
        3,
        9,
        bytes.fromhex(document["old_root"]),
        bytes.fromhex(document["new_root"]),
        [bytes.fromhex(h) for h in document["hashes"]],
    )
    assert document["new_root"] == tree.root_at(9).hex()
    assert verify_checkpoints() == []
    first_document = checkpoints.consistency_document(first)
    assert first_document["old_size"] == 0 and first_document["hashes"] == []
    assert first_document["old_root"] == hashlib.sha256(b"").hexdigest()


def test_nothing_new_means_no_second_checkpoint_of_the_same_size() -> None:
    journal_of(4)
    assert checkpoints.publish_checkpoint(force=True) is not None

    assert checkpoints.publish_checkpoint(force=True) is None
    assert checkpoints.publish_checkpoint() is None  # not due either
    assert Checkpoint.objects.count() == 1


def test_an_empty_journal_gets_no_checkpoint() -> None:
    assert checkpoints.publish_checkpoint(force=True) is None
    assert not checkpoints.checkpoint_due()


def test_pending_entries_are_integrated_before_the_checkpoint() -> None:
    from securact.evidence import journal

    for _ in range(3):
        journal.append("alert.sent", actor="platform")  # on_commit never runs here

    published = checkpoints.publish_checkpoint(force=True)

    assert published is not None and published.tree_size == 3


def test_checkpoint_covering_publishes_only_when_needed() -> None:
    journal_of(2)
    covering = checkpoints.checkpoint_covering(2)
    assert covering.tree_size == 2
    journal_of(1)
    assert checkpoints.checkpoint_covering(1) == covering
    assert checkpoints.checkpoint_covering(3).tree_size == 3
