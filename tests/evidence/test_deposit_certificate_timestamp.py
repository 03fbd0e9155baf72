"""The seal's signature timestamp is an RFC 3161 token that ``openssl ts -verify`` accepts
over the canonical ds:SignatureValue element (XAdES-T), against the test PKI's root."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

from lxml import etree

from securact.evidence.xml_seal import signature_timestamp_token
from securact.pki.demo_pki import DemoLayout

NS = {"ds": "http://www.w3.org/2000/09/xmldsig#", "xades": "http://uri.etsi.org/01903/v1.3.2#"}


def _openssl_ts_verify(token: Path, data: Path, layout: DemoLayout) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-token_in",
            "-in",
            str(token),
            "-data",
            str(data),
            "-CAfile",
            str(layout.trust / "roots.pem"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _extract(sealed: bytes, folder: Path) -> tuple[Path, Path]:
    """What an expert extracts by hand: the token, and the stamped element in C14N 1.0."""
    root = etree.fromstring(sealed)
    encapsulated = root.findtext(
        ".//xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp", namespaces=NS
    )
    value = root.find("ds:Signature/ds:SignatureValue", NS)
    assert encapsulated is not None
    assert value is not None
    token, data = folder / "token.der", folder / "signature-value.c14n"
    token.write_bytes(base64.b64decode(encapsulated))
    data.write_bytes(etree.tostring(value, method="c14n"))
    return token, data


def test_openssl_verifies_the_signature_timestamp(
    sealed_certificate: bytes, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    token, data = _extract(sealed_certificate, tmp_path)

    result = _openssl_ts_verify(token, data, demo_layout)

    assert result.returncode == 0, result.stderr
    assert "Verification: OK" in result.stdout
    assert token.read_bytes() == signature_timestamp_token(sealed_certificate)


def test_openssl_refuses_the_timestamp_for_another_signature_value(
    sealed_certificate: bytes, demo_layout: DemoLayout, tmp_path: Path
) -> None:
    token, data = _extract(sealed_certificate, tmp_path)
    text = data.read_bytes()
    data.write_bytes(text.replace(b">", b">A", 1))  # one more base64 character

    result = _openssl_ts_verify(token, data, demo_layout)

    assert result.returncode != 0
