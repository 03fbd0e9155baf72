"""PKCS#11 tokens (SoftHSM2 in the demo and tests, a bailiff's USB key in production).

Signing keys are generated on the token as sensitive, non-extractable objects: the private
half never exists outside it. Only the public key and the certificate are read back.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import keys, x509
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
from pkcs11.util.rsa import encode_rsa_public_key

# python-pkcs11 ships no type information for its library handle.
Pkcs11Lib = Any

SOFTHSM_MODULE = Path(os.environ.get("SECURACT_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so"))
SIGNING_KEY_ID = b"\x01"
SIGNING_KEY_LABEL = "signature"
# The platform's journal checkpoint key (issue 12): EC P-256 beside its seal key, on its token.
JOURNAL_KEY_ID = b"\x02"
JOURNAL_KEY_LABEL = "journal"


@dataclass(frozen=True)
class TokenCertificate:
    token_label: str
    label: str
    key_id: bytes
    certificate: x509.Certificate


def write_softhsm_config(token_dir: Path) -> Path:
    """A SoftHSM2 configuration keeping its tokens in ``token_dir``; returns its path."""
    token_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = token_dir.parent / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {token_dir}\nobjectstore.backend = file\n")
    return conf


def init_token(conf: Path, label: str, so_pin: str, pin: str) -> None:
    """Initialise a fresh SoftHSM2 token (the tool's own command, not ours)."""
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            so_pin,
            "--pin",
            pin,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )


def open_library() -> Pkcs11Lib:
    """The PKCS#11 module; SoftHSM reads SOFTHSM2_CONF once, when first loaded."""
    return pkcs11.lib(str(SOFTHSM_MODULE))


def generate_signing_key(
    lib: Pkcs11Lib,
    token_label: str,
    pin: str,
    *,
    label: str = SIGNING_KEY_LABEL,
    key_id: bytes = SIGNING_KEY_ID,
) -> keys.PublicKeyInfo:
    """Generate an RSA-2048 key pair on the token and return its public key."""
    token = lib.get_token(token_label=token_label)
    with token.open(rw=True, user_pin=pin) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA,
            2048,
            id=key_id,
            label=label,
            store=True,
            private_template={
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.SIGN: True,
            },
        )
        rsa_public = keys.RSAPublicKey.load(encode_rsa_public_key(public))
    return keys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"}, "public_key": rsa_public})


def generate_ec_key(
    lib: Pkcs11Lib,
    token_label: str,
    pin: str,
    *,
    label: str = JOURNAL_KEY_LABEL,
    key_id: bytes = JOURNAL_KEY_ID,
) -> keys.PublicKeyInfo:
    """Generate an EC P-256 key pair on the token (sensitive, never extractable, signing
    only) and return its public key."""
    token = lib.get_token(token_label=token_label)
    with token.open(rw=True, user_pin=pin) as session:
        curve = {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}
        parameters = session.create_domain_parameters(KeyType.EC, curve, local=True)
        public, _private = parameters.generate_keypair(
            id=key_id,
            label=label,
            store=True,
            private_template={
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.SIGN: True,
            },
        )
        return keys.PublicKeyInfo.load(encode_ec_public_key(public))


def ec_public_key(
    lib: Pkcs11Lib,
    token_label: str,
    pin: str,
    *,
    label: str = JOURNAL_KEY_LABEL,
    key_id: bytes = JOURNAL_KEY_ID,
) -> keys.PublicKeyInfo | None:
    """The public half of the token's EC key with this label and CKA_ID, or None."""
    token = lib.get_token(token_label=token_label)
    with token.open(user_pin=pin) as session:
        found = list(
            session.get_objects(
                {
                    Attribute.CLASS: ObjectClass.PUBLIC_KEY,
                    Attribute.KEY_TYPE: KeyType.EC,
                    Attribute.LABEL: label,
                    Attribute.ID: key_id,
                }
            )
        )
        return keys.PublicKeyInfo.load(encode_ec_public_key(found[0])) if found else None


def store_certificate(
    lib: Pkcs11Lib,
    token_label: str,
    pin: str,
    certificate: x509.Certificate,
    *,
    label: str = SIGNING_KEY_LABEL,
    key_id: bytes = SIGNING_KEY_ID,
) -> None:
    """Write the certificate beside its key (same CKA_ID), as a middleware expects."""
    token = lib.get_token(token_label=token_label)
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.ID: key_id,
                Attribute.LABEL: label,
                Attribute.SUBJECT: certificate.subject.dump(),
                Attribute.VALUE: certificate.dump(),
            }
        )


def list_certificates(lib: Pkcs11Lib, token_label: str, pin: str) -> list[TokenCertificate]:
    """The certificates stored on a token (for *Recharger les certificats*)."""
    token = lib.get_token(token_label=token_label)
    with token.open(user_pin=pin) as session:
        found = session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        return [
            TokenCertificate(
                token_label,
                obj[Attribute.LABEL],
                bytes(obj[Attribute.ID]),
                x509.Certificate.load(bytes(obj[Attribute.VALUE])),
            )
            for obj in found
        ]
