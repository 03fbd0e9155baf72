"""C2SP signed notes and checkpoints: ours, checked by sigstore-python's checkpoint code
(`sigstore._internal.rekor.checkpoint`, the Rekor form of ECDSA notes) and by
`openssl dgst -sha256 -verify`, with a key made by `cryptography`."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sigstore._internal.rekor.checkpoint import SignedCheckpoint
from sigstore._internal.trust import Keyring, RekorKeyring
from sigstore._utils import KeyID
from sigstore._utils import key_id as sigstore_key_id
from sigstore.errors import VerificationError
from sigstore_models.common.v1 import PublicKey, PublicKeyDetails

from securact_verifier.note import (
    Checkpoint,
    NoteError,
    checkpoint_body,
    ecdsa_key_id,
    format_signature_line,
    parse_checkpoint,
    signed_note,
    split_note,
    verify_note,
)

ORIGIN = "securact.example/journal"
ECDSA_P256 = PublicKeyDetails.PKIX_ECDSA_P256_SHA_256
ROOT = hashlib.sha256(b"some root").digest()
URLSAFE = base64.urlsafe_b64encode(bytes([0xFB]) * 32).decode()
UNKNOWN_SIG = base64.b64encode(bytes([1, 2, 3, 4]) + b"x" * 64).decode()


def _spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _sign(body: str, key: ec.EllipticCurvePrivateKey, name: str = ORIGIN) -> str:
    der = key.sign(body.encode(), ec.ECDSA(hashes.SHA256()))
    return format_signature_line(name, ecdsa_key_id(_spki(key)), der)


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def note(key: ec.EllipticCurvePrivateKey) -> str:
    body = checkpoint_body(ORIGIN, 1234, ROOT)
    return signed_note(body, [_sign(body, key)])


def test_checkpoint_body_and_parse() -> None:
    body = checkpoint_body(ORIGIN, 1234, ROOT)
    assert body == f"{ORIGIN}\n1234\n{base64.b64encode(ROOT).decode()}\n"
    assert parse_checkpoint(body) == Checkpoint(ORIGIN, 1234, ROOT)
    assert parse_checkpoint(body + "ext\n").extensions == ("ext",)
    assert parse_checkpoint(checkpoint_body(ORIGIN, 0, ROOT)).size == 0


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n12\n{base64.b64encode(ROOT).decode()}",  # no final newline
        f"{ORIGIN}\n012\n{base64.b64encode(ROOT).decode()}\n",  # leading zero
        f"{ORIGIN}\n-1\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n12\n{URLSAFE}\n",  # not standard base64
        f"{ORIGIN}\n12\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"\n12\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n12\n",
    ],
)
def test_malformed_checkpoints_are_refused(body: str) -> None:
    with pytest.raises(NoteError):
        parse_checkpoint(body)


def test_our_note_verifies(key: ec.EllipticCurvePrivateKey, note: str) -> None:
    body = verify_note(note, key.public_key(), ORIGIN)
    assert parse_checkpoint(body) == Checkpoint(ORIGIN, 1234, ROOT)
    assert note.count("\n— ") == 1 and note.endswith("\n")
    _, sigs = split_note(note)
    assert [(s.name, s.key_id) for s in sigs] == [(ORIGIN, hashlib.sha256(_spki(key)).digest()[:4])]


def test_sigstore_accepts_our_note(key: ec.EllipticCurvePrivateKey, note: str) -> None:
    spki = _spki(key)
    assert ecdsa_key_id(spki) == sigstore_key_id(key.public_key())[:4]
    keyring = RekorKeyring(
        Keyring([PublicKey(raw_bytes=base64.b64encode(spki), key_details=ECDSA_P256)])
    )
    signed = SignedCheckpoint.from_text(note)
    signed.signed_note.verify(keyring, KeyID(sigstore_key_id(key.public_key())))
    assert signed.checkpoint.origin == ORIGIN
    assert signed.checkpoint.log_size == 1234
    assert signed.checkpoint.log_hash == ROOT.hex()
    # and refuses it once altered (one more leaf claimed)
    altered = SignedCheckpoint.from_text(note.replace("\n1234\n", "\n1235\n", 1))
    with pytest.raises(VerificationError):
        altered.signed_note.verify(keyring, KeyID(sigstore_key_id(key.public_key())))


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_accepts_our_note(
    key: ec.EllipticCurvePrivateKey, note: str, tmp_path: Path
) -> None:
    body, (sig,) = split_note(note)
    pub = tmp_path / "key.pem"
    pub.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (tmp_path / "sig.der").write_bytes(sig.signature)
    (tmp_path / "body.txt").write_bytes(body.encode())
    cmd = [
        "openssl",
        "dgst",
        "-sha256",
        "-verify",
        str(pub),
        "-signature",
        str(tmp_path / "sig.der"),
    ]
    done = subprocess.run([*cmd, str(tmp_path / "body.txt")], capture_output=True, text=True)
    assert done.returncode == 0 and "Verified OK" in done.stdout, done.stdout + done.stderr
    (tmp_path / "body.txt").write_bytes(body.replace("1234", "1235").encode())
    done = subprocess.run([*cmd, str(tmp_path / "body.txt")], capture_output=True, text=True)
    assert done.returncode != 0


def test_signatures_by_other_keys_are_ignored(key: ec.EllipticCurvePrivateKey) -> None:
    body = checkpoint_body(ORIGIN, 7, ROOT)
    other = ec.generate_private_key(ec.SECP256R1())
    witness = _sign(body, other, "witness.example/w1")
    # an Ed25519-like line (type 0x01 form) of an unknown witness
    unknown = f"— other.example/log {UNKNOWN_SIG}\n"
    text = signed_note(body, [witness, unknown, _sign(body, key)])
    assert verify_note(text, key.public_key(), ORIGIN) == body
    # a note signed only by others is refused
    with pytest.raises(NoteError, match="no signature by the key"):
        verify_note(signed_note(body, [witness, unknown]), key.public_key(), ORIGIN)
    # our key under another name is not our signature either
    with pytest.raises(NoteError, match="no signature by the key"):
        verify_note(signed_note(body, [_sign(body, key, "someone.else")]), key.public_key(), ORIGIN)


def test_a_bad_signature_by_our_key_is_refused(key: ec.EllipticCurvePrivateKey) -> None:
    body = checkpoint_body(ORIGIN, 7, ROOT)
    forged = _sign(checkpoint_body(ORIGIN, 8, ROOT), key)  # signed another body
    with pytest.raises(NoteError, match="does not verify"):
        verify_note(signed_note(body, [forged]), key.public_key(), ORIGIN)
    with pytest.raises(NoteError, match="does not verify"):  # one good, one bad: refused
        verify_note(signed_note(body, [_sign(body, key), forged]), key.public_key(), ORIGIN)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.rstrip("\n"),  # no final newline
        lambda t: t.replace("\n\n", "\n"),  # no blank line
        lambda t: t.replace("— ", "-- "),  # not an em dash
        lambda t: t.replace("— ", "—"),
        lambda t: t.replace("\n\n", "\n\r\n"),  # a control character
        lambda t: t[: t.index("\n\n") + 2],  # no signature
        lambda t: t.replace(ORIGIN + " ", ORIGIN + "+x ", 1),  # a plus in the key name
        lambda t: t[:-3] + "!=\n",  # not base64
    ],
)
def test_malformed_notes_are_refused(
    mangle: object, key: ec.EllipticCurvePrivateKey, note: str
) -> None:
    text = mangle(note)  # type: ignore[operator]
    with pytest.raises(NoteError):
        verify_note(text, key.public_key(), ORIGIN)


def test_only_p256_keys() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1())
    body = checkpoint_body(ORIGIN, 7, ROOT)
    with pytest.raises(NoteError, match="P-256"):
        verify_note(signed_note(body, [_sign(body, p384)]), p384.public_key(), ORIGIN)


def test_formatting_refuses_bad_input() -> None:
    with pytest.raises(NoteError):
        format_signature_line("a b", b"1234", b"sig")
    with pytest.raises(NoteError):
        format_signature_line("name", b"123", b"sig")
    with pytest.raises(NoteError):
        checkpoint_body("two\nlines", 1, ROOT)
    with pytest.raises(NoteError):
        checkpoint_body(ORIGIN, 1, ROOT[:16])
