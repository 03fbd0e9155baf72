"""`securact-verify` on a bundle assembled from real artefacts (tests/evidence/
verifier_bundle.py): every check passes offline (the PKI stopped), and a byte changed in
any member makes it exit 1 naming that member — through the manifest, and, with the
manifest recomputed to match, through the member's own signature, seal, timestamp or
proof."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from asn1crypto import cms

from securact.evidence.pdf_seal import seal_pdf
from securact.pki.demo_pki import DemoLayout
from securact_verifier.cli import main, verify
from tests.evidence import verifier_bundle as vb
from tests.signing.conftest import _bailiff, sign_act
from tests.signing.samples import sample_pdfa

ENTRIES = [3, 4, 9]


@pytest.fixture(scope="module")
def members(
    tmp_path_factory: pytest.TempPathFactory,
    pki_server: object,
    identities: dict,
    demo_layout: DemoLayout,
    sealed_certificate: bytes,
) -> dict[str, bytes]:
    from securact.signing import services

    work = tmp_path_factory.mktemp("verifier-artefacts")
    act = sign_act(
        sample_pdfa(work / "acte.pdf"),
        work,
        _bailiff(identities["bailiff-durand"]),
        services.intermediate_certificates(),
    )
    sealed = work / "remise.pdf"
    seal_pdf(sample_pdfa(work / "remise-source.pdf", text="Certificat de remise"), sealed)
    return {
        "actes/acte.pdf": act.pdf.read_bytes(),
        "actes/acte.pdf.p7s": act.p7s.read_bytes(),
        "certificats/depot.xml": sealed_certificate,
        "certificats/remise.pdf": sealed.read_bytes(),
        **vb.journal_members(demo_layout, ENTRIES),
        "certificats/confiance/autorites.pem": vb.authorities_pem(demo_layout),
    }


@pytest.fixture(scope="module")
def bundle(members: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return vb.write_bundle(tmp_path_factory.mktemp("bundle") / "dossier.zip", members)


@pytest.fixture
def roots(demo_layout: DemoLayout) -> str:
    return str(demo_layout.trust / "roots.pem")


def test_a_good_bundle_passes_offline(
    bundle: Path, roots: str, tmp_path: Path, pki_down: None, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "rapport.html"
    assert main([str(bundle), "--trust", roots, "--report", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("VERDICT : dossier vérifié"), lines
    checks = lines[:-1]
    assert all(line.startswith("OK ") for line in checks), "\n".join(checks)
    subjects = {line.split(" ", 2)[1] for line in checks}
    assert {
        "manifest.json",
        "actes/acte.pdf",
        "actes/acte.pdf.p7s",
        "certificats/depot.xml",
        "certificats/remise.pdf",
        "journal/checkpoint.note",
        "journal/checkpoint.tsr",
        "certificats/confiance/plateforme-journal.pem",
        *(f"journal/entries/{n}.json" for n in ENTRIES),
    } <= subjects
    html = report.read_text()
    assert "dossier vérifié" in html and "<script" not in html
    assert "Claire DURAND" in html


def test_without_trust_the_bundle_roots_are_used_with_a_warning(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(bundle)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ATTENTION : aucune autorité de confiance")


def test_other_roots_fail_every_chain(
    bundle: Path, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    rogue = tmp_path / "rogue.pem"
    untrusted = (demo_layout.root / "certs" / "untrusted.cert.pem").read_bytes()
    rogue.write_bytes(untrusted)  # a certificate of another hierarchy, as the only anchor
    outcome = verify(bundle, rogue)
    failed = {c.subject for c in outcome.checks if not c.ok}
    assert {
        "actes/acte.pdf",
        "actes/acte.pdf.p7s",
        "certificats/depot.xml",
        "certificats/remise.pdf",
        "journal/checkpoint.tsr",
        "certificats/confiance/plateforme-journal.pem",
    } <= failed
    assert "manifest.json" not in failed


def _manifested(bundle: Path, target: Path, name: str, data: bytes) -> Path:
    """The bundle with one member replaced AND the manifest recomputed to match it."""
    with zipfile.ZipFile(bundle) as old:
        manifest = json.loads(old.read("manifest.json"))
    manifest["members"][name] = hashlib.sha256(data).hexdigest()
    vb.rewrite_member(bundle, target.with_suffix(".tmp"), name, data)
    return vb.rewrite_member(
        target.with_suffix(".tmp"),
        target,
        "manifest.json",
        (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode(),
    )


@pytest.mark.parametrize(
    "name",
    [
        "LISEZMOI.txt",
        "manifest.json",
        "actes/acte.pdf",
        "actes/acte.pdf.p7s",
        "certificats/depot.xml",
        "certificats/remise.pdf",
        "journal/checkpoint.note",
        "journal/checkpoint.tsr",
        "journal/entries/4.json",
        "journal/proofs/9.json",
        "certificats/confiance/plateforme-journal.pem",
        "certificats/confiance/autorites.pem",
    ],
)
def test_one_byte_changed_in_any_member_is_named(
    name: str, bundle: Path, members: dict[str, bytes], roots: str, tmp_path: Path
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        original = archive.read(name)
    changed = vb.rewrite_member(bundle, tmp_path / "b.zip", name, vb.flip_one_byte(original))
    assert main([str(changed), "--trust", roots]) == 1
    failed = {c.subject for c in verify(changed, Path(roots)).checks if not c.ok}
    assert name in failed, failed


def _in_signature_value(p7s: bytes) -> int:
    value = cms.ContentInfo.load(p7s)["content"]["signer_infos"][0]["signature"].native
    return p7s.find(value) + len(value) // 2


# Where one byte matters to the member's own check: offsets into the member (None: the
# middle). The middle of the .p7s is in a certificate the CMS carries but the signature
# does not cover (CMS certificates are unsigned; the manifest catches that change): there,
# a byte of the signature value; in the journal PEM, a byte of its first certificate.
OWN_CHECK_OFFSETS: dict[str, int | Callable[[bytes], int] | None] = {
    "actes/acte.pdf": None,
    "actes/acte.pdf.p7s": _in_signature_value,
    "certificats/depot.xml": None,
    "certificats/remise.pdf": None,
    "journal/checkpoint.note": 30,
    "journal/checkpoint.tsr": None,
    "journal/entries/4.json": None,
    "journal/proofs/9.json": None,
    "certificats/confiance/plateforme-journal.pem": 200,
}


@pytest.mark.parametrize("name", sorted(OWN_CHECK_OFFSETS))
def test_with_the_manifest_rewritten_the_members_own_check_fails(
    name: str, members: dict[str, bytes], bundle: Path, roots: str, tmp_path: Path
) -> None:
    offset = OWN_CHECK_OFFSETS[name]
    if callable(offset):
        offset = offset(members[name])
    data = vb.flip_one_byte(members[name], offset)
    changed = _manifested(bundle, tmp_path / "b.zip", name, data)
    outcome = verify(changed, Path(roots))
    failed = [c for c in outcome.checks if not c.ok]
    assert "manifest.json" not in {c.subject for c in failed}
    subjects = {c.subject for c in failed}
    expected = {
        "journal/proofs/9.json": "journal/entries/9.json",
        "certificats/confiance/plateforme-journal.pem": "journal/checkpoint.note",
    }.get(name, name)
    assert name in subjects or expected in subjects, [c.line() for c in failed]


def test_a_journal_entry_left_out_or_added(
    members: dict[str, bytes], bundle: Path, roots: str, tmp_path: Path
) -> None:
    extra = dict(members)
    extra["journal/entries/5.json"] = vb.entry_bytes(5, "deposit", vb.SIGNIFICATION)
    outcome = verify(vb.write_bundle(tmp_path / "extra.zip", extra), Path(roots))
    assert [c.subject for c in outcome.checks if not c.ok] == ["journal/entries/5.json"]
    forged = dict(extra)
    forged["journal/proofs/5.json"] = members["journal/proofs/4.json"].replace(
        b'"sequence": 4', b'"sequence": 5'
    )
    outcome = verify(vb.write_bundle(tmp_path / "forged.zip", forged), Path(roots))
    assert [c.subject for c in outcome.checks if not c.ok] == ["journal/entries/5.json"]


def test_a_damaged_zip_member_is_named(bundle: Path, roots: str, tmp_path: Path) -> None:
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("actes/acte.pdf.p7s")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    assert main([str(damaged), "--trust", roots]) == 1
    failed = {c.subject for c in verify(damaged, Path(roots)).checks if not c.ok}
    assert "actes/acte.pdf.p7s" in failed


def test_usage_errors_exit_2(bundle: Path, tmp_path: Path) -> None:
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"not a zip")
    assert main([str(not_zip)]) == 2
    assert main([str(tmp_path / "absent.zip")]) == 2
    assert main([str(bundle), "--trust", str(tmp_path / "absent.pem")]) == 2


def test_no_network_at_all(bundle: Path, roots: str) -> None:
    """In a network namespace of its own (no interface but a down loopback), the verdict is
    the same: the verifier fetches nothing."""
    import shutil
    import subprocess

    from tests.processes import BIN

    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no user network namespace here")
    done = subprocess.run(
        ["unshare", "-rn", str(BIN / "securact-verify"), str(bundle), "--trust", roots],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("VERDICT : dossier vérifié")
