"""The journal's checkpoint key: EC P-256 on the platform's token, certified by the demo
PKI's signing CA; its signed notes verify with openssl and sigstore-python."""

from __future__ import annotations

import base64
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings
from pkcs11 import Attribute, KeyType, ObjectClass

from securact.evidence import journal_signer, seal
from securact.evidence.errors import SealConfigurationError
from securact.pki import tokens
from securact_verifier import note
from tests.evidence.note_checks import openssl_verify, sigstore_verify

BODY = note.checkpoint_body("securact.example/journal", 42, hashlib.sha256(b"root").digest())


@pytest.fixture(autouse=True)
def _fresh_sessions() -> Iterator[None]:
    yield
    seal.close_sessions()


def test_the_certificate_is_issued_by_the_signing_ca_for_an_ec_p256_key(demo_layout) -> None:
    chain = journal_signer.journal_certificate_chain()

    assert isinstance(chain[0].public_key(), ec.EllipticCurvePublicKey)
    assert "Signature Qualifiée" in chain[1].subject.rfc4514_string()
    done = subprocess.run(
        [
            "openssl",
            "verify",
            "-CAfile",
            str(demo_layout.trust / "roots.pem"),
            "-untrusted",
            str(demo_layout.trust / "intermediates.pem"),
            str(demo_layout.journal_cert),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_signed_note_verifies_with_openssl_and_sigstore(tmp_path: Path) -> None:
    signed = journal_signer.sign_body(BODY)
    public = journal_signer.journal_public_key()

    assert signed.startswith(BODY + "\n— securact.example/journal ")
    assert openssl_verify(signed, public, tmp_path)
    checkpoint = sigstore_verify(signed, public).checkpoint
    assert (checkpoint.origin, checkpoint.log_size) == ("securact.example/journal", 42)
    assert note.verify_note(signed, public, "securact.example/journal") == BODY
    altered = signed.replace("\n42\n", "\n43\n", 1)
    assert not openssl_verify(altered, public, tmp_path)


def test_the_key_id_is_the_rekor_form(demo_layout) -> None:
    signed = journal_signer.sign_body(BODY)
    cert = x509.load_pem_x509_certificate(demo_layout.journal_cert.read_bytes())
    from cryptography.hazmat.primitives import serialization

    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _body, (signature,) = note.split_note(signed)
    assert signature.key_id == hashlib.sha256(spki).digest()[:4]
    assert base64.b64encode(signature.key_id)  # 4 bytes, then the DER signature
    assert signature.signature[0] == 0x30  # DER SEQUENCE


def test_the_private_key_never_leaves_the_token(demo_layout) -> None:
    pin = demo_layout.seal_pin.read_text().strip()
    token = tokens.open_library().get_token(token_label="securact-platform")
    try:
        session = token.open(user_pin=pin)
    except pkcs11.UserAlreadyLoggedIn:
        session = token.open()
    with session:
        key = session.get_key(
            object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.EC, label="journal"
        )
        assert key[Attribute.SENSITIVE] and not key[Attribute.EXTRACTABLE]
        assert bytes(key[Attribute.ID]) == tokens.JOURNAL_KEY_ID


def test_without_the_certificate_the_error_says_how_to_add_the_key(tmp_path: Path) -> None:
    with (
        override_settings(SECURACT_JOURNAL_CERT=tmp_path / "absent.pem"),
        pytest.raises(SealConfigurationError) as refused,
    ):
        journal_signer.sign_body(BODY)

    assert "Clé des points de contrôle du journal absente" in refused.value.message
    assert "securact demo_pki" in refused.value.message


def test_without_the_key_on_the_token_the_error_says_how_to_add_it() -> None:
    with (
        override_settings(SECURACT_JOURNAL_KEY_LABEL="absent"),
        pytest.raises(SealConfigurationError) as refused,
    ):
        journal_signer.sign_body(BODY)

    assert "Clé des points de contrôle du journal absente" in refused.value.message


def test_a_key_that_is_not_the_certified_one_is_refused(demo_layout) -> None:
    with (
        override_settings(SECURACT_JOURNAL_CERT=demo_layout.pki / "tsa.cert.pem"),
        pytest.raises(SealConfigurationError) as refused,
    ):
        journal_signer.sign_body(BODY)

    assert "EC P-256" in refused.value.message
