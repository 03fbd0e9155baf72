"""The sealed data message verifies with xmlsec1 (an expert's public tool) and with
verify_sealed_xml, like the deposit certificate; one changed byte fails both."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from lxml import etree

from securact.datamessage.message import validate_data_message
from securact.evidence.errors import SealVerificationError
from securact.evidence.xml_seal import verify_sealed_xml
from securact.pki.demo_pki import DemoLayout
from tests.evidence.conftest import xmlsec1_verify

NS = {"m": "urn:securact:message-donnees:1", "ds": "http://www.w3.org/2000/09/xmldsig#"}


def _one_byte_changed(sealed: bytes, old: bytes, new: bytes) -> bytes:
    assert sealed.count(old) == 1
    changed = sealed.replace(old, new)
    assert sum(a != b for a, b in zip(sealed, changed, strict=True)) == 1
    return changed


def test_xmlsec1_verifies_the_sealed_message(sealed_file: Path, demo_layout: DemoLayout) -> None:
    result = xmlsec1_verify(sealed_file, demo_layout)

    assert result.returncode == 0, result.stderr
    assert "OK" in result.stderr


def test_the_seal_is_the_platforms_timestamped_over_the_whole_message(
    sealed_message: bytes, demo_layout: DemoLayout
) -> None:
    seal = verify_sealed_xml(sealed_message, demo_layout.trust / "roots.pem")

    platform = x509.load_pem_x509_certificate(demo_layout.seal_cert.read_bytes())
    assert seal.signer_sha256 == platform.fingerprint(hashes.SHA256()).hex()
    assert "Horodatage" in seal.tsa_subject
    signed = etree.fromstring(seal.document)
    assert signed.findtext("m:Montants/m:Total", namespaces=NS) == "1396.86"
    root = etree.fromstring(sealed_message)
    assert root[-1].tag == "{http://www.w3.org/2000/09/xmldsig#}Signature"
    validate_data_message(root)  # still valid with its seal


def test_one_changed_byte_fails_xmlsec1(
    sealed_message: bytes, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    path = tmp_path / "changed_DONNEES.xml"
    path.write_bytes(_one_byte_changed(sealed_message, b">1234.56<", b">1284.56<"))

    result = xmlsec1_verify(path, demo_layout)

    assert result.returncode != 0
    assert "FAIL" in result.stderr


def test_one_changed_byte_fails_verify_sealed_xml(
    sealed_message: bytes, demo_layout: DemoLayout
) -> None:
    tampered = _one_byte_changed(sealed_message, b"<Nom>MARTIN<", b"<Nom>MARTIM<")

    with pytest.raises(SealVerificationError, match="ne vérifie pas"):
        verify_sealed_xml(tampered, demo_layout.trust / "roots.pem")
