"""C2SP signed notes (https://c2sp.org/signed-note) and checkpoints (https://c2sp.org/tlog-checkpoint).

Pure functions, no I/O, no Django. A signed note is a text body (UTF-8, lines ending in
`\\n`), a blank line, then one line per signature: `— <name> <base64(key ID ‖ signature)>`.
Securact signs its journal checkpoints with ECDSA P-256 / SHA-256 (signature type 0x02):
the signature is DER, the key ID is SHA-256(DER SubjectPublicKeyInfo)[:4] — the form Rekor
and the transparency-dev witnesses use, which sigstore-python and `openssl dgst -sha256
-verify` check.

Verification follows the rules of the C2SP spec (and of Go's `golang.org/x/mod/sumdb/note`,
its reference): a malformed note is refused; signature lines by unknown keys are ignored;
a note without a valid signature by the expected key is refused; a signature by the expected
key that does not verify is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

__all__ = [
    "SIGNATURE_TYPE_ECDSA",
    "Checkpoint",
    "NoteError",
    "NoteSignature",
    "checkpoint_body",
    "ecdsa_key_id",
    "format_signature_line",
    "parse_checkpoint",
    "signed_note",
    "split_note",
    "verify_note",
]

SIGNATURE_TYPE_ECDSA = 0x02
_SIG_PREFIX = "— "  # U+2014 EM DASH, then a space
_MAX_SIGNATURES = 100  # as Go's note.Open
_MAX_NOTE_SIZE = 1_000_000
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")


class NoteError(ValueError):
    """A note or checkpoint is malformed, or its signature does not verify; says why."""


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the key's name, its 4-byte key ID, the signature bytes."""

    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Checkpoint:
    """A parsed tlog-checkpoint body (extension lines, if any, kept as they are)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def _is_valid_name(name: str) -> bool:
    """C2SP: a key name is non-empty and has no Unicode whitespace and no plus sign."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The checkpoint body: origin, size in decimal, root in standard base64, each + `\\n`."""
    if not origin or "\n" in origin or origin != origin.strip():
        raise NoteError("the checkpoint origin must be one non-empty line without edge spaces")
    if size < 0:
        raise NoteError(f"negative tree size {size}")
    if len(root) != 32:
        raise NoteError("the checkpoint root must be a 32-byte SHA-256 hash")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode('ascii')}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse a checkpoint body (the note text without its signatures)."""
    if not body.endswith("\n"):
        raise NoteError("the checkpoint does not end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has at least three lines (origin, size, root)")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("the checkpoint origin is empty")
    if not _DECIMAL.match(size_text):
        raise NoteError(f"the checkpoint size {size_text!r} is not a decimal number")
    try:
        root = base64.b64decode(root_text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"the checkpoint root {root_text!r} is not standard base64") from exc
    if len(root) != 32:
        raise NoteError(f"the checkpoint root has {len(root)} bytes, not 32")
    if any(not line for line in extensions):
        raise NoteError("the checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def split_note(text: str) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its body (ending in `\\n`) and its parsed signature lines."""
    if len(text) > _MAX_NOTE_SIZE:
        raise NoteError("the note is too large")
    if any(ch < " " and ch != "\n" for ch in text):
        raise NoteError("the note holds a control character other than newline")
    if not text.endswith("\n"):
        raise NoteError("the note does not end with a newline")
    cut = text.rfind("\n\n")
    if cut < 0:
        raise NoteError("the note has no blank line before its signatures")
    body, sig_block = text[: cut + 1], text[cut + 2 :]
    lines = sig_block[:-1].split("\n") if sig_block else []
    if not lines:
        raise NoteError("the note has no signature")
    if len(lines) > _MAX_SIGNATURES:
        raise NoteError("the note has too many signatures")
    return body, [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(_SIG_PREFIX):
        raise NoteError(f"malformed signature line {line!r}")
    name, _, b64 = line[len(_SIG_PREFIX) :].partition(" ")
    try:
        raw = base64.b64decode(b64.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"the signature of {name!r} is not standard base64") from exc
    if not _is_valid_name(name) or not b64 or len(raw) < 5:
        raise NoteError(f"malformed signature line {line!r}")
    return NoteSignature(name, raw[:4], raw[4:])


def ecdsa_key_id(spki_der: bytes) -> bytes:
    """Key ID of an ECDSA note key: SHA-256 of its DER SubjectPublicKeyInfo, first 4 bytes."""
    return hashlib.sha256(spki_der).digest()[:4]


def _spki_der(public_key: ec.EllipticCurvePublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def format_signature_line(name: str, key_id: bytes, der_sig: bytes) -> str:
    """`— <name> <base64(key ID ‖ DER signature)>\\n`, to append after the body's blank line."""
    if not _is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    if len(key_id) != 4:
        raise NoteError("a key ID has 4 bytes")
    if not der_sig:
        raise NoteError("empty signature")
    return f"{_SIG_PREFIX}{name} {base64.b64encode(key_id + der_sig).decode('ascii')}\n"


def signed_note(body: str, signature_lines: list[str]) -> str:
    """The note text: the body, a blank line, the signature lines (from format_signature_line)."""
    if not body.endswith("\n"):
        raise NoteError("the note body must end with a newline")
    return body + "\n" + "".join(signature_lines)


def verify_note(text: str, public_key: ec.EllipticCurvePublicKey, name: str) -> str:
    """Check the note's signature by (`name`, `public_key`); return the body, or raise NoteError.

    Lines by other keys (another name or key ID) are ignored, as the C2SP rules say; there
    must be at least one line by this key, and every such line must verify.
    """
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise NoteError("the checkpoint key is not an ECDSA P-256 public key")
    body, signatures = split_note(text)
    key_id = ecdsa_key_id(_spki_der(public_key))
    mine = [s for s in signatures if s.name == name and s.key_id == key_id]
    if not mine:
        found = ", ".join(f"{s.name} ({s.key_id.hex()})" for s in signatures)
        raise NoteError(
            f"the note has no signature by the key {name} ({key_id.hex()}); found: {found}"
        )
    for sig in mine:
        try:
            public_key.verify(sig.signature, body.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise NoteError(f"the signature by {name} ({key_id.hex()}) does not verify") from exc
    return body
