"""The proof (*preuve*, F7.3) of a vault file verifies offline, PKI stopped: the deposit's
RFC 3161 token with ``openssl ts -verify``, the sealed PDF/A with pyHanko (the README's own
script, the API, the command line), the JSON's journal entries by recomputing their hashes
and checking their inclusion proofs against the sealed tree head; ``qpdf`` accepts the PDF
and its text states the file's SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from django.utils import timezone

from securact.evidence import canonical, tree
from securact.evidence.models import JournalEntry
from securact.signing import services as signing
from securact.vault.journaling import VaultAction, record
from securact.vault.models import StoredFile, Vault, VaultOperation
from securact.vault.proof import proof_archive
from securact.vault.services import deposit_file
from securact_verifier.merkle import leaf_hash, verify_inclusion
from tests.factories import BailiffFactory

pytestmark = pytest.mark.django_db

PYHANKO = Path(sys.executable).with_name("pyhanko")
OWNER = "d" * 64
CONTENT = "Acte signifié — contenu d'essai\n".encode() * 40


@dataclass
class Proven:
    stored: StoredFile
    folder: Path  # the ZIP, extracted
    archive_name: str

    def member(self, name: str) -> Path:
        return self.folder / name

    @property
    def document(self) -> dict:
        return json.loads(self.member("proof.json").read_text(encoding="utf-8"))

    def pdf_text(self) -> str:
        done = subprocess.run(
            ["pdftotext", "-layout", str(self.member("proof.pdf")), "-"],
            capture_output=True,
            check=True,
        )
        return done.stdout.decode()

    def script(self, marker: str) -> str:
        """A script the README gives, exactly as written there."""
        readme = self.member("README.txt").read_text(encoding="utf-8")
        start = f"--- début du script {marker} ---\n"
        return readme.split(start, 1)[1].split(f"--- fin du script {marker} ---", 1)[0]

    def run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=self.folder, capture_output=True, text=True, check=False, timeout=120
        )


@pytest.fixture
def vault(settings, tmp_path) -> Vault:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint=OWNER,
        certificate_holder=bailiff.full_name,
    )


def _prove(stored: StoredFile, folder: Path) -> Proven:
    archive = proof_archive(stored, actor=OWNER)
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        assert opened.testzip() is None
        opened.extractall(folder)
    return Proven(stored, folder, archive.filename)


@pytest.fixture
def deposited(vault, tmp_path, pki_server) -> StoredFile:
    source = tmp_path / "acte.pdf"
    source.write_bytes(CONTENT)
    stored = deposit_file(
        vault,
        "9991_SA-1_20261126_101500.pdf",
        source,
        depositor=OWNER,
        deposited_at=timezone.now(),
        kind=StoredFile.Kind.ACT,
        signification_id=42,
    )
    record(vault, VaultAction.DOWNLOADED, actor=OWNER, stored=stored)
    return stored


@pytest.fixture
def proven(deposited, tmp_path) -> Proven:
    return _prove(deposited, tmp_path / "proof")


def test_the_archive_holds_the_sealed_pdf_the_json_the_token_and_how_to_verify(
    proven: Proven,
) -> None:
    names = sorted(p.name for p in proven.folder.iterdir())
    assert names == ["README.txt", "deposit.tsr", "proof.json", "proof.pdf", "roots.pem"]
    assert proven.archive_name == "preuve_9991_SA-1_20261126_101500.zip"


def test_the_deposit_timestamp_verifies_offline_with_openssl(proven: Proven, pki_down) -> None:
    sha256 = proven.stored.sha256
    verify = ["openssl", "ts", "-verify", "-in", "deposit.tsr", "-CAfile", "roots.pem"]
    done = proven.run([*verify, "-digest", sha256])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Verification: OK" in done.stdout
    other = hashlib.sha256(CONTENT + b"!").hexdigest()
    assert proven.run([*verify, "-digest", other]).returncode != 0
    # The same token, as the JSON carries it (base64 of the stored DER token).
    token = bytes(proven.stored.deposit_timestamp)
    stamp = proven.document["deposit_timestamp"]
    assert stamp["present"] is True
    assert stamp["message_imprint"] == {"hash_algorithm": "sha256", "hashed_message": sha256}
    proven.member("token.der").write_bytes(token)
    raw = ["openssl", "ts", "-verify", "-token_in", "-in", "token.der", "-CAfile", "roots.pem"]
    assert proven.run([*raw, "-digest", sha256]).returncode == 0


def test_the_seal_validates_offline_with_pyhanko(proven: Proven, pki_down) -> None:
    # The README's script, as a third party runs it: only roots.pem and the PDF.
    done = proven.run([sys.executable, "-c", proven.script("pyHanko")])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "AdESPassed.OK"
    roots = signing.load_certificates(proven.member("roots.pem"))
    report = signing.validate_pades_offline(proven.member("proof.pdf"), roots, [])
    assert (report.indication, report.subindication) == ("PASSED", "OK"), report
    assert report.document_timestamps == 1
    assert "SECURACT" in report.signer.upper()


def test_pyhanko_command_line_checks_the_seal_offline(proven: Proven, pki_down) -> None:
    done = proven.run(
        [
            str(PYHANKO),
            "sign",
            "validate",
            "--executive-summary",
            "--trust",
            "roots.pem",
            "--trust-replace",
            "--no-revocation-check",
            "proof.pdf",
        ]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VALID" in done.stdout and "INVALID" not in done.stdout


def test_the_pdf_is_pdfa_sound_and_states_the_sha256(proven: Proven) -> None:
    pdf = proven.member("proof.pdf")
    with pikepdf.open(pdf) as opened:
        assert opened.open_metadata().pdfa_status == "2B"
    done = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = proven.pdf_text()
    assert "Preuve de dépôt et d'intégrité" in text
    assert proven.stored.sha256 in text
    assert "9991_SA-1_20261126_101500.pdf" in text
    for name in ("proof.json", "deposit.tsr", "roots.pem"):
        assert hashlib.sha256(proven.member(name).read_bytes()).hexdigest() in text
    assert "Téléchargement" in text and "Dépôt" in text


def test_the_json_is_canonical_and_its_journal_entries_rehash(proven: Proven) -> None:
    raw = proven.member("proof.json").read_bytes()
    document = json.loads(raw)
    assert raw == json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    file = document["file"]
    stored = proven.stored
    assert (file["sha256"], file["size"], file["hash_algorithm"]) == (
        hashlib.sha256(CONTENT).hexdigest(),
        len(CONTENT),
        "sha-256",
    )
    assert (file["kind"], file["depositor"], file["signification_id"]) == ("act", OWNER, 42)
    assert file["retain_until"] is not None and file["legal_hold"] is False
    entries = document["journal"]["entries"]
    assert [e["action"] for e in entries] == [VaultAction.DEPOSITED, VaultAction.DOWNLOADED]
    head = document["journal"]["head"]
    root = bytes.fromhex(head["root_hash"])
    assert tree.root_at(head["tree_size"]) == root
    for entry in entries:
        stored_entry = JournalEntry.objects.get(sequence=entry["sequence"])
        assert entry["format"] == 2 and entry["previous_hash"] == ""
        assert entry["entry_hash"] == stored_entry.entry_hash
        content = canonical.leaf_bytes(stored_entry)
        assert hashlib.sha256(content).hexdigest() == entry["entry_hash"]
        assert entry["leaf_index"] == tree.leaf_index_of(entry["sequence"])
        proof = [bytes.fromhex(h) for h in entry["inclusion"]]
        verify_inclusion(leaf_hash(content), entry["leaf_index"], head["tree_size"], proof, root)
        assert entry["data"]["sha256"] == stored.sha256
    # The README's script agrees, with the standard library only.
    done = proven.run([sys.executable, "-c", proven.script("journal")])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        f"{entries[0]['sequence']} {VaultAction.DEPOSITED} OK",
        f"{entries[1]['sequence']} {VaultAction.DOWNLOADED} OK",
    ]


def test_the_readme_script_catches_a_changed_entry_or_proof(proven: Proven) -> None:
    document = proven.document
    first, second = document["journal"]["entries"][:2]
    first["data"]["size"] += 1  # the entry's content
    flipped = bytes.fromhex(second["inclusion"][0])
    second["inclusion"][0] = bytes([flipped[0] ^ 1, *flipped[1:]]).hex()  # its proof
    proven.member("proof.json").write_text(json.dumps(document), encoding="utf-8")

    done = proven.run([sys.executable, "-c", proven.script("journal")])

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        f"{first['sequence']} {VaultAction.DEPOSITED} MODIFIÉE",
        f"{second['sequence']} {VaultAction.DOWNLOADED} MODIFIÉE",
    ]


def test_issuing_a_proof_is_journaled_with_what_was_handed_out(proven: Proven) -> None:
    operation = VaultOperation.objects.get(file_id=proven.stored.pk, action=VaultAction.PROOF)
    entry = JournalEntry.objects.get(sequence=operation.journal_sequence)
    assert entry.actor == OWNER
    pdf = proven.member("proof.pdf").read_bytes()
    assert entry.data["proof_pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    json_bytes = proven.member("proof.json").read_bytes()
    assert entry.data["proof_json_sha256"] == hashlib.sha256(json_bytes).hexdigest()
    # Journaled after the proof was made: not in the tree the proof states.
    tree.integrate()
    assert tree.leaf_index_of(entry.sequence) >= proven.document["journal"]["head"]["tree_size"]


def test_a_file_deposited_before_timestamps_says_it_has_none(deposited, tmp_path) -> None:
    StoredFile.objects.filter(pk=deposited.pk).update(deposit_timestamp=None)
    deposited.refresh_from_db()
    proven = _prove(deposited, tmp_path / "old")
    assert not proven.member("deposit.tsr").exists()
    assert proven.document["deposit_timestamp"]["present"] is False
    assert "Aucun : ce fichier a été déposé avant" in " ".join(proven.pdf_text().split())
    assert "Aucun jeton" in proven.member("README.txt").read_text(encoding="utf-8")
