"""The journal's canonical serialisation, free of Django (docs/evidence-log.md, §1).

An offline verifier (a court expert, a small script) recomputes every hash from an export
of the journal with nothing but this module, so it imports only the standard library.

Two formats of the canonical bytes of one entry, both hashed with SHA-256 (``entry_hash``,
lowercase hex) and both the data of the entry's Merkle leaf (leaf hash = SHA-256(0x00 ‖
bytes), see :mod:`securact.evidence.tree`):

**Format 2** (every entry written since issue 12), the UTF-8 bytes of the JSON object

    {"action": str, "actor": str, "data": object, "format": 2,
     "recorded_at": str, "sequence": int, "signification_id": int | null}

**Format 1** (entries written before issue 12, kept as they were hashed), the JSON object

    {"action": str, "actor": str, "data": object, "previous_hash": str,
     "recorded_at": str, "sequence": int, "signification_id": int | null}

where ``previous_hash`` of entry 1 is sixty-four zeros and of entry n > 1 the ``entry_hash``
of entry n - 1 (a hash chain). A format 2 entry stores ``previous_hash`` as ``""``: that is
how the two are told apart, and it is not part of its bytes.

Both are serialised with keys sorted at every level, separators "," and ":" (no
whitespace), non-ASCII characters written as themselves (not \\u escapes); recorded_at = UTC
as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fraction digits). ``data`` holds only JSON
strings, integers, booleans, null, lists and objects: floats are refused because their
textual form is not portable between JSON libraries.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Protocol

GENESIS_HASH = "0" * 64
CHAINED_FORMAT = 1
FORMAT_VERSION = 2
# What a format 2 entry stores in ``previous_hash``.
NO_PREVIOUS_HASH = ""


class NonCanonicalData(ValueError):
    """The journal data holds a value with no portable canonical form."""


class EntryFields(Protocol):
    """What the canonical bytes are made of (a ``JournalEntry`` or any such record)."""

    sequence: int
    recorded_at: datetime
    actor: str
    signification_id: int | None
    action: str
    data: Any
    previous_hash: str


def check_json_value(value: Any, path: str = "data") -> None:
    """Refuse what would not survive a round trip through every JSON store identically."""
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL's jsonb cannot store NUL
            raise NonCanonicalData(f"{path}: NUL character")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_json_value(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NonCanonicalData(f"{path}: key {key!r} is not a string")
            check_json_value(item, f"{path}.{key}")
        return
    raise NonCanonicalData(f"{path}: {type(value).__name__} is not allowed")


def format_time(moment: datetime) -> str:
    """UTC with microseconds and a Z, whatever the time zone the value came in."""
    if moment.tzinfo is None:
        raise NonCanonicalData("recorded_at must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _serialised(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def canonical_bytes(
    *,
    sequence: int,
    recorded_at: datetime,
    actor: str,
    signification_id: int | None,
    action: str,
    data: dict[str, Any],
    previous_hash: str = NO_PREVIOUS_HASH,
) -> bytes:
    """The exact bytes of an entry: format 2 when ``previous_hash`` is ``""``, else the
    chained format 1 (see the module docstring)."""
    check_json_value(data)
    document: dict[str, Any] = {
        "action": action,
        "actor": actor,
        "data": data,
        "recorded_at": format_time(recorded_at),
        "sequence": sequence,
        "signification_id": signification_id,
    }
    if previous_hash == NO_PREVIOUS_HASH:
        document["format"] = FORMAT_VERSION
    else:
        document["previous_hash"] = previous_hash
    return _serialised(document)


def entry_format(previous_hash: str) -> int:
    """2 for the tree-only entries, 1 for the hash-chained ones written before."""
    return FORMAT_VERSION if previous_hash == NO_PREVIOUS_HASH else CHAINED_FORMAT


def leaf_bytes(entry: EntryFields) -> bytes:
    """The canonical bytes of ``entry`` in its own format: its Merkle leaf's data (the
    ``journal/entries/<sequence>.json`` member of an evidence bundle, byte for byte)."""
    return canonical_bytes(
        sequence=entry.sequence,
        recorded_at=entry.recorded_at,
        actor=entry.actor,
        signification_id=entry.signification_id,
        action=entry.action,
        data=entry.data,
        previous_hash=entry.previous_hash,
    )


def entry_hash(**fields: Any) -> str:
    """SHA-256 (lowercase hex) of :func:`canonical_bytes` of the given fields."""
    return hashlib.sha256(canonical_bytes(**fields)).hexdigest()
