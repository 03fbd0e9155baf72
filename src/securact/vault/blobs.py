"""What both blob stores share: a blob's name, hashing in chunks, what a lock reads back as,
and the refusal of an early deletion of stored content.

A blob's name is its hash (``objects/ab/abcdef…``), so the same content is stored once, a
stored blob is never overwritten, and any later change to it is detectable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from securact.vault.retention import RetentionNotOver

CHUNK = 1024 * 1024


def blob_name(sha256: str) -> str:
    return f"objects/{sha256[:2]}/{sha256}"


def stream_sha256(handle: IO[bytes]) -> str:
    """SHA-256 (hex) of what remains in ``handle``, read in chunks (acts may be 50 MB)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return stream_sha256(handle)


@dataclass(frozen=True)
class LockInfo:
    """An object's lock as the object store reports it (S3 Object Lock headers)."""

    mode: str | None  # "COMPLIANCE", "GOVERNANCE" or None (no retention)
    retain_until: datetime | None
    legal_hold: bool
    version_id: str | None = None

    def protects(self, now: datetime) -> bool:
        """True while the store itself must keep the object (retention running, or a hold)."""
        return self.legal_hold or (self.retain_until is not None and now < self.retain_until)


class BlobLocked(RetentionNotOver):
    """Stored content under retention or legal hold: Securact refuses to delete it, whatever
    the object store would accept. ``message`` says why, in French."""
