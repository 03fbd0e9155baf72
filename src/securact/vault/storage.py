"""The blob store behind every vault: content-addressed by SHA-256, behind Django's
storage API (a local directory now; an object store with retention locks later).

A blob's name is its hash (``objects/ab/abcdef…``), so the same content is stored once,
a stored blob is never overwritten, and any later change to it is detectable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def open_blob(sha256: str) -> File:
    return blob_storage().open(blob_name(sha256), "rb")


def blob_intact(sha256: str) -> bool:
    """Fixity check: the stored bytes still hash to their name."""
    digest = hashlib.sha256()
    with open_blob(sha256) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest() == sha256
