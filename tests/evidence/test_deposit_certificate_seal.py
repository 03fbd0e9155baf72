"""The sealed deposit certificate verifies with xmlsec1 (an expert's public tool) and with
verify_sealed_xml, and stays valid against its XSD."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from lxml import etree

from securact.evidence.deposit_certificate import (
    DepositCertificateData,
    validate_deposit_certificate,
    verify_sealed_xml,
)
from securact.pki.demo_pki import DemoLayout
from tests.evidence.conftest import xmlsec1_verify

NS = {
    "a": "urn:securact:attestation-depot:1",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
}


def test_xmlsec1_accepts_the_sealed_certificate(sealed_file: Path, demo_layout: DemoLayout) -> None:
    result = xmlsec1_verify(sealed_file, demo_layout)

    assert result.returncode == 0, result.stderr
    assert "OK" in result.stderr


def test_verify_sealed_xml_names_the_platform_and_the_tsa(
    sealed_certificate: bytes, demo_layout: DemoLayout, deposit_data: DepositCertificateData
) -> None:
    seal = verify_sealed_xml(sealed_certificate, demo_layout.trust / "roots.pem")

    platform = x509.load_pem_x509_certificate(demo_layout.seal_cert.read_bytes())
    assert seal.signer_sha256 == platform.fingerprint(hashes.SHA256()).hex()
    assert "cachet de la plateforme" in seal.signer_subject
    assert "Horodatage" in seal.tsa_subject
    assert abs((seal.timestamp_time - seal.signing_time).total_seconds()) < 300
    signed = etree.fromstring(seal.document)
    assert signed.findtext("a:Signification/a:ReferenceDepot", namespaces=NS) == "REF-2025-0042"


def test_sealed_certificate_is_xades_t_over_the_whole_document(sealed_certificate: bytes) -> None:
    root = etree.fromstring(sealed_certificate)
    signature = root.find("ds:Signature", NS)

    assert signature is not None
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    assert references[0].get("URI") == ""
    c14n = signature.find("ds:SignedInfo/ds:CanonicalizationMethod", NS)
    assert c14n is not None
    assert c14n.get("Algorithm") == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    stamp = signature.find(
        "ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/"
        "xades:UnsignedSignatureProperties/xades:SignatureTimeStamp/"
        "xades:EncapsulatedTimeStamp",
        NS,
    )
    assert stamp is not None
    assert stamp.text


def test_sealed_certificate_is_still_valid_against_the_xsd(sealed_certificate: bytes) -> None:
    validate_deposit_certificate(etree.fromstring(sealed_certificate))
