"""Proof that whoever runs a command holds the private key of a certificate: what a TLS
sign-in proves (the handshake's CertificateVerify), done here with the ``cryptography``
library by signing a fresh random challenge and verifying it with the certificate's key."""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509 import load_der_x509_certificate


class KeyUnreadable(Exception):
    """The key file cannot be read as an unencrypted PEM private key."""


def load_private_key(pem: bytes) -> object:
    try:
        return serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        # TypeError: the key is encrypted (a password would be needed).
        raise KeyUnreadable(str(error)) from error


def holds_key(certificate_der: bytes, private_key: object) -> bool:
    """True when ``private_key`` signs a random challenge that the certificate verifies."""
    public_key = load_der_x509_certificate(certificate_der).public_key()
    challenge = secrets.token_bytes(32)
    try:
        if isinstance(private_key, rsa.RSAPrivateKey) and isinstance(public_key, rsa.RSAPublicKey):
            signature = private_key.sign(challenge, padding.PKCS1v15(), hashes.SHA256())
            public_key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(private_key, ec.EllipticCurvePrivateKey) and isinstance(
            public_key, ec.EllipticCurvePublicKey
        ):
            signature = private_key.sign(challenge, ec.ECDSA(hashes.SHA256()))
            public_key.verify(signature, challenge, ec.ECDSA(hashes.SHA256()))
        elif isinstance(private_key, ed25519.Ed25519PrivateKey) and isinstance(
            public_key, ed25519.Ed25519PublicKey
        ):
            public_key.verify(private_key.sign(challenge), challenge)
        else:
            return False
    except InvalidSignature:
        return False
    return True
