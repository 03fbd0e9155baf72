"""A single changed byte is caught: in the signed PDF (AdES validation fails), in the
``.p7s`` (openssl refuses it), and in the PDF the ``.p7s`` signs (openssl refuses it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
from asn1crypto import cms

from securact.signing import services
from tests.signing.conftest import SignedAct, flip_byte


def _openssl_verify(p7s: Path, content: Path, trust: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(p7s),
            "-content",
            str(content),
            "-CAfile",
            str(trust / "roots.pem"),
            "-certfile",
            str(trust / "intermediates.pem"),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _offset_inside_first_signed_range(signed: Path) -> int:
    """A byte inside the page's content stream: covered by the signature's first byte
    range, and changing it leaves the file parseable (a pure integrity failure)."""
    with pikepdf.open(signed) as pdf:
        number, generation = pdf.pages[0].obj.Contents.objgen
    data = signed.read_bytes()
    object_at = data.index(f"\n{number} {generation} obj".encode())
    stream_at = data.index(b"stream", object_at) + len(b"stream\n") + 8
    assert stream_at < data.index(b"/ByteRange")
    return stream_at


def test_sanity_untouched_files_verify(signed_act: SignedAct, demo_layout, roots, chain) -> None:
    assert services.validate_pades_offline(signed_act.pdf, roots, chain).ok
    assert _openssl_verify(signed_act.p7s, signed_act.pdf, demo_layout.trust).returncode == 0


def test_one_byte_changed_in_signed_pdf_fails_validation(
    signed_act: SignedAct, tmp_path: Path, roots, chain
) -> None:
    offset = _offset_inside_first_signed_range(signed_act.pdf)
    tampered = flip_byte(signed_act.pdf, offset, tmp_path / "tampered.pdf")
    report = services.validate_pades_offline(tampered, roots, chain)
    assert not report.ok
    assert not report.intact, report


def test_one_byte_changed_in_p7s_is_refused_by_openssl(
    signed_act: SignedAct, tmp_path: Path, demo_layout
) -> None:
    der = signed_act.p7s.read_bytes()
    signer_info = cms.ContentInfo.load(der)["content"]["signer_infos"][0]
    signature_value = signer_info["signature"].native
    offset = der.index(signature_value) + len(signature_value) // 2
    tampered = flip_byte(signed_act.p7s, offset, tmp_path / "tampered.p7s")
    done = _openssl_verify(tampered, signed_act.pdf, demo_layout.trust)
    assert done.returncode != 0
    assert (
        "verification failure" in done.stderr.lower() or "signature failure" in done.stderr.lower()
    )


def test_changed_pdf_is_refused_by_openssl_against_its_p7s(
    signed_act: SignedAct, tmp_path: Path, demo_layout
) -> None:
    tampered = flip_byte(signed_act.pdf, 100, tmp_path / "tampered.pdf")
    done = _openssl_verify(signed_act.p7s, tampered, demo_layout.trust)
    assert done.returncode != 0
    assert "digest failure" in done.stderr.lower() or "verification failure" in done.stderr.lower()
