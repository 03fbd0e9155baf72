"""What ``parse_certificate`` reads from a client certificate (F1.2 shows it, F1.1 and the
vault binding rely on it), checked against the demo PKI's certificates and against
OpenSSL, a tool we did not write; and garbage only ever raises MalformedCertificate."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from securact.pki.certificates import (
    CertificateInfo,
    MalformedCertificate,
    parse_certificate,
    pem_to_der,
)


def _der(pem_path: str) -> bytes:
    return pem_to_der(Path(pem_path).read_bytes())


def _openssl(pem_path: str, *options: str) -> str:
    return subprocess.run(
        ["openssl", "x509", "-in", pem_path, "-noout", *options],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _openssl_date(pem_path: str, option: str) -> datetime:
    # "notBefore=Oct 27 00:00:00 2026 GMT"
    value = _openssl(pem_path, option).split("=", 1)[1]
    return datetime.strptime(value, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=UTC)


def test_a_bailiff_certificate_names_holder_function_and_practice(identities):
    info = parse_certificate(_der(identities["bailiff-durand"].cert))
    assert info.holder == "Claire DURAND"
    assert info.function == "Commissaire de justice"
    assert info.organization == "SCP Durand & Martin, commissaires de justice associés"
    assert info.issuer == "AC Securact Démo Classe 3+"
    assert info.practice_code == "9991"
    assert info.siret is None


def test_a_recipient_certificate_carries_its_siret(identities):
    info = parse_certificate(_der(identities["recipient-banque-test"].cert))
    assert info.holder == "BANQUE TEST"
    assert info.siret == "99999001300016"
    assert info.practice_code is None


def test_an_operator_certificate_names_neither_practice_nor_siret(identities):
    info = parse_certificate(_der(identities["operator"].cert))
    assert info.holder == "Opérateur SECURACT"
    assert info.function == "Exploitation de la plateforme"
    assert info.practice_code is None
    assert info.siret is None


@pytest.mark.parametrize(
    "label", ["bailiff-durand", "bailiff-martin", "recipient-banque-test", "operator"]
)
def test_fingerprint_is_the_sha256_of_the_der_as_openssl_computes_it(identities, label):
    pem_path = identities[label].cert
    der = _der(pem_path)
    info = parse_certificate(der)
    assert info.fingerprint == hashlib.sha256(der).hexdigest()
    # "sha256 Fingerprint=77:07:ED:…" (the prefix's case varies between OpenSSL versions)
    openssl = _openssl(pem_path, "-fingerprint", "-sha256").split("=", 1)[1]
    assert info.fingerprint == openssl.replace(":", "").lower()
    assert re.fullmatch(r"[0-9a-f]{64}", info.fingerprint)


@pytest.mark.parametrize("label", ["bailiff-durand", "recipient-banque-test", "expired"])
def test_serial_and_validity_match_openssl(identities, label):
    pem_path = identities[label].cert
    info = parse_certificate(_der(pem_path))
    assert info.serial_number == int(_openssl(pem_path, "-serial").split("=", 1)[1], 16)
    assert info.serial_hex == _openssl(pem_path, "-serial").split("=", 1)[1].lstrip("0")
    assert info.not_before == _openssl_date(pem_path, "-startdate")
    assert info.not_after == _openssl_date(pem_path, "-enddate")


def test_the_der_is_kept_as_given(identities):
    der = _der(identities["bailiff-durand"].cert)
    info = parse_certificate(der)
    assert info.der == der
    assert info.certificate.dump() == der


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda der: b"", id="empty"),
        pytest.param(lambda der: b"garbage", id="garbage"),
        pytest.param(lambda der: der[: len(der) // 2], id="truncated"),
        pytest.param(lambda der: der[:-1], id="last-byte-missing"),
        pytest.param(lambda der: der + b"\x00", id="trailing-byte"),
        pytest.param(lambda der: b"\x31" + der[1:], id="set-not-sequence"),
        pytest.param(lambda der: b"\x30\x80" + der[4:], id="indefinite-length"),
    ],
)
def test_malformed_bytes_raise_malformed_certificate(identities, mangle):
    der = _der(identities["bailiff-durand"].cert)
    with pytest.raises(MalformedCertificate):
        parse_certificate(mangle(der))


def test_pem_text_is_not_der(identities):
    with pytest.raises(MalformedCertificate):
        parse_certificate(Path(identities["bailiff-durand"].cert).read_bytes())


def test_a_private_key_is_not_a_certificate(identities):
    with pytest.raises(MalformedCertificate):
        parse_certificate(pem_to_der(Path(identities["bailiff-durand"].key).read_bytes()))


def _parse_or_malformed(data: bytes) -> CertificateInfo | None:
    """parse_certificate's only allowed outcomes: a CertificateInfo or MalformedCertificate."""
    try:
        info = parse_certificate(data)
    except MalformedCertificate:
        return None
    assert info.fingerprint == hashlib.sha256(data).hexdigest()
    assert isinstance(info.holder, str)
    assert isinstance(info.serial_number, int)
    return info


_FUZZ = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_only_ever_raise_malformed_certificate(data):
    _parse_or_malformed(data)


@_FUZZ
@given(st.binary(max_size=64))
def test_random_bytes_behind_a_sequence_header_only_raise_malformed_certificate(body):
    """Random content in a DER SEQUENCE, to get past the first tag check."""
    _parse_or_malformed(b"\x30" + bytes([len(body)]) + body)


@_FUZZ
@given(data=st.data())
def test_a_mutated_certificate_parses_or_raises_malformed_certificate(identities, data):
    """One real certificate with bytes overwritten (and sometimes truncated): the parse
    goes deep into the structure before failing."""
    der = bytearray(_der(identities["bailiff-durand"].cert))
    edits = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(der) - 1), st.integers(0, 255)), min_size=1, max_size=4
        )
    )
    for at, value in edits:
        der[at] = value
    cut = data.draw(st.one_of(st.just(len(der)), st.integers(1, len(der))))
    _parse_or_malformed(bytes(der[:cut]))
