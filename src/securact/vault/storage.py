"""The blob store behind every vault: content-addressed by SHA-256, behind Django's
storage API (a local directory now; an object store with retention locks later).

A blob's name is its hash (``objects/ab/abcdef…``), so the same content is stored once,
a stored blob is never overwritten, and any later change to it is detectable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

CHUNK = 1024 * 1024


def blob_storage() -> Storage:
    return FileSystemStorage(
        location=settings.SECURACT_VAULT_DIR,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


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


def put_blob(path: Path) -> tuple[str, int]:
    """Store the file's content (once) and return its SHA-256 and size."""
    sha256 = file_sha256(path)
    storage = blob_storage()
    name = blob_name(sha256)
    if not storage.exists(name):
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:  # a concurrent writer stored the same content first
            storage.delete(saved)
    return sha256, path.stat().st_size


def open_blob(sha256: str) -> File[bytes]:
    return blob_storage().open(blob_name(sha256), "rb")


def blob_intact(sha256: str) -> bool:
    """Fixity check: the stored bytes still hash to their name."""
    with open_blob(sha256) as handle:
        return stream_sha256(handle) == sha256
