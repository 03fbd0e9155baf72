"""Checks of a signed checkpoint by tools we did not write: ``openssl dgst -sha256 -verify``
and sigstore-python's checkpoint code (the Rekor form of ECDSA signed notes)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sigstore._internal.rekor.checkpoint import SignedCheckpoint
from sigstore._internal.trust import Keyring, RekorKeyring
from sigstore._utils import KeyID
from sigstore._utils import key_id as sigstore_key_id
from sigstore_models.common.v1 import PublicKey, PublicKeyDetails

from securact_verifier.note import split_note


def openssl_verify(note_text: str, public: ec.EllipticCurvePublicKey, folder: Path) -> bool:
    """``openssl dgst -sha256 -verify pub.pem -signature sig.der body``: True when OK."""
    body, (signature,) = split_note(note_text)
    (folder / "pub.pem").write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (folder / "sig.der").write_bytes(signature.signature)
    (folder / "body").write_bytes(body.encode("utf-8"))
    done = subprocess.run(
        [
            "openssl",
            "dgst",
            "-sha256",
            "-verify",
            str(folder / "pub.pem"),
            "-signature",
            str(folder / "sig.der"),
            str(folder / "body"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and "Verified OK" in done.stdout


def sigstore_verify(note_text: str, public: ec.EllipticCurvePublicKey) -> SignedCheckpoint:
    """sigstore-python's verification of the note (raises VerificationError when it fails);
    the parsed checkpoint."""
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    keyring = RekorKeyring(
        Keyring(
            [
                PublicKey(
                    raw_bytes=base64.b64encode(spki),
                    key_details=PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
                )
            ]
        )
    )
    signed = SignedCheckpoint.from_text(note_text)
    signed.signed_note.verify(keyring, KeyID(sigstore_key_id(public)))
    return signed
