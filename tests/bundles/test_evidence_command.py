"""``securact evidence``: proof (checked before printing), consistency, checkpoint, bundle;
exit 0 when done, 1 when something does not verify or is damaged, 2 on a bad request."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from securact.evidence import journal
from securact.evidence.models import Checkpoint, JournalEntry
from securact_verifier import merkle
from tests.bundles.conftest import manifest_ok, members_of
from tests.vault.storage_tampering import local_vault

pytestmark = pytest.mark.django_db


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        call_command("evidence", *args)
    except SystemExit as ended:
        code = int(ended.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_proof_prints_a_checked_inclusion_proof(sample, capsys):
    sequence = sample.entries["signification.deposited"]
    code, out, _err = _run(capsys, "proof", str(sequence))
    assert code == 0
    document = json.loads(out)
    checkpoint = Checkpoint.objects.get(tree_size=document["tree_size"])
    entry = JournalEntry.objects.get(sequence=sequence)
    merkle.verify_inclusion(
        merkle.leaf_hash(entry.canonical_bytes()),
        document["leaf_index"],
        document["tree_size"],
        [bytes.fromhex(h) for h in document["hashes"]],
        bytes(checkpoint.root_hash),
    )
    # Against that same checkpoint by its size.
    code, again, _err = _run(capsys, "proof", str(sequence), "--size", str(checkpoint.tree_size))
    assert code == 0 and json.loads(again) == document


def test_proof_refuses_what_has_none(sample, capsys):
    code, _out, err = _run(capsys, "proof", "999999999")
    assert code == 2 and "n'existe pas" in err
    code, _out, err = _run(
        capsys, "proof", str(sample.entries["signification.deposited"]), "--size", "999999"
    )
    assert code == 2 and "999999" in err


def test_checkpoint_then_consistency(sample, capsys):
    code, first, _err = _run(capsys, "checkpoint")
    assert code == 0
    old = int(first.split("\n")[1])
    journal.append("journal.heartbeat", actor=journal.PLATFORM_ACTOR, data={})
    code, second, _err = _run(capsys, "checkpoint")
    new = int(second.split("\n")[1])
    code, out, _err = _run(capsys, "consistency", str(old), str(new))
    assert code == 0
    document = json.loads(out)
    assert document["format"] == "securact-consistency-proof/1"
    merkle.verify_consistency(
        old,
        new,
        bytes.fromhex(document["old_root"]),
        bytes.fromhex(document["new_root"]),
        [bytes.fromhex(h) for h in document["hashes"]],
    )
    code, _out, err = _run(capsys, "consistency", str(new), str(old))
    assert code == 2 and "Tailles invalides" in err


def test_bundle_writes_the_zip_or_says_why_not(sample, tmp_path, capsys):
    out = tmp_path / "dossier.zip"
    code, printed, _err = _run(capsys, "bundle", str(sample.signification.pk), "--out", str(out))
    assert code == 0 and "Dossier de preuve" in printed
    manifest_ok(members_of(out.read_bytes()))

    code, _out, err = _run(capsys, "bundle", "424242", "--out", str(tmp_path / "n.zip"))
    assert code == 2 and "n'existe pas" in err

    local_vault().remove(sample.act.sha256)
    damaged = tmp_path / "abime.zip"
    code, _out, err = _run(capsys, "bundle", str(sample.signification.pk), "--out", str(damaged))
    assert code == 1 and "introuvable" in err
    assert not damaged.exists()
