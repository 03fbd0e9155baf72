"""Issue 12, items 4 and 6, end to end: a PDF and a DOCX served through real workers,
delivered in person, answered. Its evidence bundle holds every member of the contract, each
checked with the public tools its LISEZMOI.txt names (openssl cms, xmlsec1, openssl ts,
openssl dgst, the Merkle proofs with the verifier's functions); the reversibility export of
the demo practice and of the recipient pass ``bagit.py --validate``."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from securact.bundles.bundle import build_bundle
from securact.bundles.export import write_export
from securact.bundles.export_requests import open_export, request_export
from securact.bundles.export_scope import practice_scope, recipient_scope
from securact.bundles.models import ExportRequest
from securact.evidence import journal
from securact.evidence.journal import entries_for
from securact.vault.models import StoredFile
from securact_verifier import merkle
from tests.bundles.conftest import (
    bagit_validate,
    manifest_ok,
    members_of,
    serve_answered,
    wait_for,
)
from tests.processes import BIN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _root_of(note: bytes) -> tuple[int, bytes]:
    import base64

    lines = note.decode().split("\n")
    return int(lines[1]), base64.b64decode(lines[2])


def _shell(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=folder, capture_output=True, text=True, check=False
    )


def _check_with_public_tools(folder: Path, acts: list[str]) -> None:
    """The LISEZMOI's own commands, run in the unzipped bundle."""
    checks = [
        "jq -r '.members | to_entries[] | \"\\(.value)  \\(.key)\"' manifest.json | sha256sum -c",
        *(
            f'openssl cms -verify -binary -inform DER -in "actes/{act}.p7s" -content '
            f'"actes/{act}" -CAfile certificats/confiance/autorites.pem -purpose any '
            "-out /dev/null"
            for act in acts
        ),
        "xmlsec1 --verify --trusted-pem certificats/confiance/autorites.pem --id-attr:Id "
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties --id-attr:Id "
        "http://www.w3.org/2000/09/xmldsig#:KeyInfo certificats/depot.xml",
        "openssl ts -verify -data journal/checkpoint.note -in journal/checkpoint.tsr "
        "-CAfile certificats/confiance/autorites.pem",
        "awk '/^$/{exit} {print}' journal/checkpoint.note > /tmp/corps-$$.txt && "
        "tail -n 1 journal/checkpoint.note | awk '{print $NF}' | base64 -d | tail -c +5 "
        "> /tmp/sig-$$.der && openssl x509 -in certificats/confiance/plateforme-journal.pem "
        "-pubkey -noout > /tmp/cle-$$.pem && openssl dgst -sha256 -verify /tmp/cle-$$.pem "
        "-signature /tmp/sig-$$.der /tmp/corps-$$.txt",
    ]
    for command in checks:
        done = _shell(command, folder)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"


def test_bundle_and_export_of_a_served_delivered_answered_signification(
    declared_bailiff, acts, workers, tmp_path, demo_layout
):
    workers.start(2)
    signification = serve_answered(declared_bailiff, acts, tmp_path)
    out = tmp_path / "dossier.zip"

    started = time.monotonic()
    result = build_bundle(signification.pk, out)
    first = time.monotonic() - started
    started = time.monotonic()
    build_bundle(signification.pk, tmp_path / "again.zip")
    again = time.monotonic() - started
    print(f"bundle built in {first:.2f} s (checkpoint published), then {again:.2f} s")
    assert again < 2

    members = members_of(out.read_bytes())
    manifest = manifest_ok(members)
    assert manifest["format"] == "securact-evidence-bundle/1"
    assert manifest["signification"] == signification.pk
    assert manifest["reference"] == "PREUVE-E2E-1"
    names = [a.deposited_name for a in signification.acts.order_by("position")]
    assert len(names) == 2
    returned = StoredFile.objects.get(
        signification_id=signification.pk, kind=StoredFile.Kind.ACT_RETURN
    )
    entries = list(entries_for(signification.pk))
    expected = {
        "LISEZMOI.txt",
        "manifest.json",
        *(f"actes/{n}" for n in names),
        *(f"actes/{n}.p7s" for n in names),
        "certificats/depot.xml",
        "certificats/remise.pdf",
        "message-de-donnees.xml",
        f"retours/{returned.name}",
        *(f"journal/entries/{e.sequence}.json" for e in entries),
        *(f"journal/proofs/{e.sequence}.json" for e in entries),
        "journal/checkpoint.note",
        "journal/checkpoint.tsr",
        "certificats/confiance/plateforme-journal.pem",
        "certificats/confiance/autorites.pem",
    }
    assert set(members) == expected
    assert result.members.keys() == expected - {"manifest.json"}
    for act in signification.acts.select_related("stored_file"):
        assert act.stored_file is not None
        pdf = members[f"actes/{act.deposited_name}"]
        assert hashlib.sha256(pdf).hexdigest() == act.stored_file.sha256
    readme = members["LISEZMOI.txt"].decode()
    assert "openssl cms -verify" in readme and "securact-verify" in readme
    assert all(name in readme for name in names)

    # Every entry, exactly its bytes, proved against the bundle's signed checkpoint.
    size, root = _root_of(members["journal/checkpoint.note"])
    assert size == result.tree_size
    for entry in entries:
        raw = members[f"journal/entries/{entry.sequence}.json"]
        assert raw == entry.canonical_bytes()
        proof = json.loads(members[f"journal/proofs/{entry.sequence}.json"])
        assert proof["format"] == "securact-inclusion-proof/1"
        assert proof["tree_size"] == size and proof["checkpoint"] == f"checkpoints/{size}.note"
        assert proof["leaf_hash"] == merkle.leaf_hash(raw).hex()
        merkle.verify_inclusion(
            merkle.leaf_hash(raw),
            proof["leaf_index"],
            size,
            [bytes.fromhex(h) for h in proof["hashes"]],
            root,
        )

    folder = tmp_path / "dossier"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    _check_with_public_tools(folder, names)
    verified = subprocess.run(
        [str(BIN / "securact-verify"), str(out), "--trust", str(demo_layout.trust / "roots.pem")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "ÉCHEC" not in verified.stdout

    # The reversibility exports after serving, delivering and answering.
    for scope, target in (
        (practice_scope("9991"), tmp_path / "export-etude"),
        (recipient_scope(signification.recipient.siret), tmp_path / "export-destinataire"),
    ):
        started = time.monotonic()
        report = write_export(scope, target)
        print(f"export {scope.kind}: {time.monotonic() - started:.2f} s, {report.files} files")
        assert report.complete and report.files > 0 and report.entries > 0
        validated = bagit_validate(target)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        assert (target / "data" / "rapport.json").is_file()
        assert (target / "data" / "fichiers.csv").is_file()
        assert any((target / "data" / "journal" / "checkpoints").glob("*.note"))

    # Asked for from a page: built by a worker (the task takes the request's id).
    asked = request_export(practice_scope("9991"), actor=journal.PLATFORM_ACTOR)
    wait_for(
        lambda: ExportRequest.objects.filter(pk=asked.pk, state="done").exists(),
        "the worker's export",
    )
    built = ExportRequest.objects.get(pk=asked.pk)
    assert built.files == 4 and built.problems == 0 and built.percent == 100
    with open_export(built) as stream, zipfile.ZipFile(stream) as archive:
        assert any(name.endswith("/bagit.txt") for name in archive.namelist())
