"""``/preuves/journal/<sequence>``: the inclusion proof of a journal entry, for its owner
only — the bailiff who served the signification, its recipient (the entries its portal
shows), a vault's owner for his vault's operations. Anyone else: the 404 of a missing one."""

from __future__ import annotations

import pytest

from securact.evidence.models import Checkpoint, JournalEntry
from securact.vault.models import VaultOperation
from securact_verifier import merkle

pytestmark = pytest.mark.django_db


def _proof(client, sequence: int):
    return client.get(f"/preuves/journal/{sequence}")


def _verifies(document: dict) -> None:
    entry = JournalEntry.objects.get(sequence=document["sequence"])
    checkpoint = Checkpoint.objects.get(tree_size=document["tree_size"])
    assert document["format"] == "securact-inclusion-proof/1"
    assert document["checkpoint"] == f"checkpoints/{checkpoint.tree_size}.note"
    merkle.verify_inclusion(
        merkle.leaf_hash(entry.canonical_bytes()),
        document["leaf_index"],
        document["tree_size"],
        [bytes.fromhex(h) for h in document["hashes"]],
        bytes(checkpoint.root_hash),
    )


def test_the_bailiff_gets_the_proof_of_each_entry_of_his_signification(sample, signed_in):
    client = signed_in("bailiff-durand")
    for sequence in sample.entries.values():
        response = _proof(client, sequence)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        _verifies(response.json())


def test_the_recipient_gets_only_the_entries_its_portal_shows(sample, signed_in):
    client = signed_in("recipient-banque-test")
    assert _proof(client, sample.entries["signification.deposited"]).status_code == 200
    assert _proof(client, sample.entries["signification.submitted"]).status_code == 404
    assert _proof(client, sample.entries["signification.archived"]).status_code == 404


def test_strangers_get_404(sample, signed_in):
    sequence = sample.entries["signification.submitted"]
    assert _proof(signed_in("bailiff-martin"), sequence).status_code == 404
    assert _proof(signed_in("recipient-credit-demo"), sequence).status_code == 404
    missing = _proof(signed_in("bailiff-durand"), 10**9)
    assert missing.status_code == 404
    assert missing.json() == {"erreur": "Entrée du journal introuvable."}


def test_a_vault_operation_is_proved_to_its_vaults_owner_only(sample, signed_in):
    bailiffs = VaultOperation.objects.get(
        vault=sample.bailiff_vault, file_id=sample.deposit_certificate.pk
    ).journal_sequence
    recipients = VaultOperation.objects.get(
        vault=sample.recipient_vault, file_id=sample.act.pk
    ).journal_sequence
    durand = signed_in("bailiff-durand")
    assert _proof(durand, bailiffs).status_code == 200
    assert _proof(durand, recipients).status_code == 404
    banque = signed_in("recipient-banque-test")
    _verifies(_proof(banque, recipients).json())
    assert _proof(banque, bailiffs).status_code == 404
    assert _proof(signed_in("bailiff-martin"), bailiffs).status_code == 404
