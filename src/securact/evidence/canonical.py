"""The journal's canonical serialisation and hash chain, free of Django.

An offline verifier (a court expert, a small script) recomputes every hash from an export
of the journal with nothing but this module, so it imports only the standard library.

Canonical form of one entry (version 1), hashed with SHA-256 and written as lowercase hex:

    UTF-8 bytes of the JSON object
      {"action": str, "actor": str, "data": object, "previous_hash": str,
       "recorded_at": str, "sequence": int, "signification_id": int | null}
    serialised with keys sorted at every level, separators "," and ":" (no whitespace),
    non-ASCII characters written as themselves (not \\u escapes);
    recorded_at = UTC as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fraction digits).

``previous_hash`` of entry 1 is sixty-four zeros; of entry n > 1, the ``entry_hash`` of
entry n - 1. ``data`` holds only JSON strings, integers, booleans, null, lists and objects:
floats are refused because their textual form is not portable between JSON libraries.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
FORMAT_VERSION = 1


class NonCanonicalData(ValueError):
    """The journal data holds a value with no portable canonical form."""


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


def canonical_bytes(
    *,
    sequence: int,
    recorded_at: datetime,
    actor: str,
    signification_id: int | None,
    action: str,
    data: dict[str, Any],
    previous_hash: str,
) -> bytes:
    """The exact bytes whose SHA-256 is the entry hash (see the module docstring)."""
    check_json_value(data)
    document = {
        "action": action,
        "actor": actor,
        "data": data,
        "previous_hash": previous_hash,
        "recorded_at": format_time(recorded_at),
        "sequence": sequence,
        "signification_id": signification_id,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def entry_hash(**fields: Any) -> str:
    """SHA-256 (lowercase hex) of :func:`canonical_bytes` of the given fields."""
    return hashlib.sha256(canonical_bytes(**fields)).hexdigest()
