"""One changed byte in a sealed deposit certificate makes xmlsec1 and verify_sealed_xml fail."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from securact.evidence.deposit_certificate import verify_sealed_xml
from securact.evidence.errors import SealVerificationError
from securact.pki.demo_pki import DemoLayout
from tests.evidence.conftest import xmlsec1_verify


def _change_one_byte(sealed: bytes, old: bytes, new: bytes) -> bytes:
    assert sealed.count(old) == 1
    changed = sealed.replace(old, new)
    assert len(changed) == len(sealed)
    assert sum(a != b for a, b in zip(sealed, changed, strict=True)) == 1
    return changed


def test_changed_file_hash_fails_xmlsec1(
    sealed_certificate: bytes, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    path = tmp_path / "attestation_depot.xml"
    path.write_bytes(_change_one_byte(sealed_certificate, b"<SHA256>1f1f", b"<SHA256>0f1f"))

    result = xmlsec1_verify(path, demo_layout)

    assert result.returncode != 0
    assert "FAIL" in result.stderr


def test_changed_file_hash_fails_verify_sealed_xml(
    sealed_certificate: bytes, demo_layout: DemoLayout
) -> None:
    tampered = _change_one_byte(sealed_certificate, b"<SHA256>1f1f", b"<SHA256>0f1f")

    with pytest.raises(SealVerificationError, match="ne vérifie pas"):
        verify_sealed_xml(tampered, demo_layout.trust / "roots.pem")


def test_changed_signature_value_fails_the_timestamp(
    sealed_certificate: bytes, demo_layout: DemoLayout
) -> None:
    start = sealed_certificate.index(b"<ds:SignatureValue>") + len(b"<ds:SignatureValue>")
    first = sealed_certificate[start : start + 1]
    other = b"B" if first != b"B" else b"C"
    tampered = sealed_certificate[:start] + other + sealed_certificate[start + 1 :]

    with pytest.raises(SealVerificationError, match="horodatage ne correspond pas"):
        verify_sealed_xml(tampered, demo_layout.trust / "roots.pem")


def test_timestamp_of_another_document_is_refused(
    sealed_certificate: bytes, demo_layout: DemoLayout
) -> None:
    # A genuine token from the same TSA, but over other data: the imprint gives it away.
    from securact.evidence.seal import platform_timestamper
    from securact.evidence.xml_seal import request_timestamp, signature_timestamp_token

    foreign = base64.b64encode(request_timestamp(b"another document", platform_timestamper()))
    ours = base64.b64encode(signature_timestamp_token(sealed_certificate))
    tampered = sealed_certificate.replace(ours, foreign)

    with pytest.raises(SealVerificationError, match="horodatage ne correspond pas"):
        verify_sealed_xml(tampered, demo_layout.trust / "roots.pem")


def test_a_seal_checked_against_other_roots_is_refused(
    sealed_certificate: bytes, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    from tests.evidence.conftest import intermediate_named

    other_roots = tmp_path / "roots.pem"  # a CA, but not the anchor of the seal
    other_roots.write_bytes(intermediate_named(demo_layout, "Classe 3"))

    with pytest.raises(SealVerificationError):
        verify_sealed_xml(sealed_certificate, other_roots)
