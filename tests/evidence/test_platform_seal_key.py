"""The platform seal key signs on its PKCS#11 token; the private key never comes out."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import LazySettings

from securact.evidence import seal
from securact.evidence.errors import SealConfigurationError


@pytest.fixture(autouse=True)
def _fresh_sessions() -> Iterator[None]:
    yield
    seal.close_sessions()  # no test leaves a session opened with another PIN file


def test_token_signature_verifies_with_the_seal_certificate() -> None:
    key = seal.platform_seal_key()

    signature = key.sign(b"attestation", padding.PKCS1v15(), hashes.SHA256())

    public = seal.seal_certificate_chain()[0].public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(signature, b"attestation", padding.PKCS1v15(), hashes.SHA256())


def test_one_session_per_process_is_reused() -> None:
    key = seal.platform_seal_key()
    key.sign(b"one", padding.PKCS1v15(), hashes.SHA256())
    first = list(seal._sessions.values())
    key.sign(b"two", padding.PKCS1v15(), hashes.SHA256())

    assert list(seal._sessions.values()) == first
    assert all(s.pid == os.getpid() for s in first)


def test_private_key_cannot_be_exported_and_only_sha256_pkcs1_is_signed() -> None:
    key = seal.platform_seal_key()

    with pytest.raises(TypeError):
        key.private_numbers()
    with pytest.raises(ValueError, match="SHA-256"):
        key.sign(b"x", padding.PKCS1v15(), hashes.SHA1())  # noqa: S303


def test_chain_goes_up_to_the_issuing_ca_not_the_root() -> None:
    chain = seal.seal_certificate_chain()

    assert [c.subject.rfc4514_string() for c in chain][1:] == [chain[0].issuer.rfc4514_string()]
    assert chain[1].issuer != chain[1].subject


def test_a_pin_file_readable_by_others_is_refused(settings: LazySettings, tmp_path: Path) -> None:
    pin = tmp_path / "seal.pin"
    pin.write_text("123456")
    pin.chmod(0o644)
    settings.SECURACT_SEAL_PIN_FILE = pin
    seal.close_sessions()  # the PIN file is read when a session opens

    with pytest.raises(SealConfigurationError, match="0600"):
        seal.platform_seal_key()


def test_a_wrong_pin_is_a_configuration_error(settings: LazySettings, tmp_path: Path) -> None:
    pin = tmp_path / "seal.pin"
    pin.write_text("000000")
    pin.chmod(0o600)
    settings.SECURACT_SEAL_PIN_FILE = pin
    seal.close_sessions()

    with pytest.raises(SealConfigurationError, match="PIN"):
        seal.platform_seal_key()


def test_a_session_the_token_dropped_is_reopened() -> None:
    key = seal.platform_seal_key()
    for opened in seal._sessions.values():
        opened.session.close()  # as when the HSM restarts under a running worker

    signature = key.sign(b"after", padding.PKCS1v15(), hashes.SHA256())

    assert len(signature) == key.key_size // 8
