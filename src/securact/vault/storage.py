"""The blob store behind every vault, content-addressed by SHA-256 (``objects/ab/abcdef…``):
the same content is stored once, a stored blob is never overwritten, and any later change
to it is detectable.

Two backends, chosen by ``SECURACT_VAULT_STORAGE`` (README, "Vault storage"):

- ``local`` (the embedded default): a directory, ``SECURACT_VAULT_DIR``, files 0600 in
  folders 0700, behind Django's ``FileSystemStorage``. Retention and legal holds live in the
  database only (``vault.retention``).
- ``s3`` (production): an S3-compatible object store with Object Lock (``vault.s3``):
  evidence is locked in COMPLIANCE mode until its retention end, and legal holds are set on
  the objects too.

Either way Securact enforces the rules itself before removing content (defence in depth):
``delete_blob`` refuses while any file holding that content is under retention or hold in
the database, and, on S3, while the object's own lock says so.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

from securact.vault import s3
from securact.vault.blobs import (
    CHUNK,
    BlobLocked,
    LockInfo,
    blob_name,
    file_sha256,
    stream_sha256,
)
from securact.vault.models import StoredFile
from securact.vault.retention import ensure_deletable

__all__ = [
    "CHUNK",
    "BlobLocked",
    "LockInfo",
    "blob_exists",
    "blob_intact",
    "blob_name",
    "blob_storage",
    "delete_blob",
    "file_sha256",
    "lock_info",
    "open_blob",
    "put_blob",
    "set_legal_hold",
    "stream_sha256",
    "uses_s3",
]


def uses_s3() -> bool:
    return bool(settings.SECURACT_VAULT_STORAGE == "s3")


def blob_storage() -> Storage:
    """The local directory's storage (the ``local`` backend)."""
    return FileSystemStorage(
        location=settings.SECURACT_VAULT_DIR,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def put_blob(path: Path, *, retain_until: datetime | None = None) -> tuple[str, int]:
    """Store the file's content (once) and return its SHA-256 and size. ``retain_until``
    (evidence): on S3 the object is locked (COMPLIANCE) until then, or later if content
    shared with another file is already locked longer; a lock is never shortened."""
    sha256 = file_sha256(path)
    size = path.stat().st_size
    if uses_s3():
        s3.put(path, sha256, size, retain_until)
        return sha256, size
    storage = blob_storage()
    name = blob_name(sha256)
    if not storage.exists(name):
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:  # a concurrent writer stored the same content first
            storage.delete(saved)
    return sha256, size


def lock_blob(sha256: str, retain_until: datetime | None) -> None:
    """Lock stored content until ``retain_until`` (S3: extended, never shortened; the local
    directory has no lock of its own, Securact's rules guard it)."""
    if retain_until is not None and uses_s3():
        s3.lock(sha256, retain_until)


def open_blob(sha256: str) -> File[bytes]:
    """The content, as a file read in chunks (never whole in memory); FileNotFoundError if
    it is missing."""
    if uses_s3():
        return s3.open_blob(sha256)
    return blob_storage().open(blob_name(sha256), "rb")


def blob_exists(sha256: str) -> bool:
    """Whether the store still has content under this hash (whatever that content is)."""
    if uses_s3():
        return s3.exists(sha256)
    return bool(blob_storage().exists(blob_name(sha256)))


def blob_intact(sha256: str) -> bool:
    """Fixity check: the stored bytes still hash to their name. FileNotFoundError if the
    content is missing."""
    with open_blob(sha256) as handle:
        return stream_sha256(handle) == sha256


def lock_info(sha256: str) -> LockInfo | None:
    """The object store's own lock on the content (mode, retain-until, legal hold), read back
    from the object; None with the local directory, which has no locks of its own."""
    if uses_s3():
        return s3.lock_info(sha256)
    return None


def set_legal_hold(sha256: str, on: bool) -> bool:
    """Carry a legal hold to the object store (S3; nothing to do locally) and return the
    hold now in force. Call it after saving the files' ``legal_hold``: content shared by
    several files stays held while any of them is."""
    held = on or StoredFile.objects.filter(sha256=sha256, legal_hold=True).exists()
    if uses_s3():
        s3.set_legal_hold(sha256, held)
    return held


def delete_blob(sha256: str) -> None:
    """Remove the content (on S3, every version of the object). Refused — a French
    ``RetentionNotOver`` — while a file holding this content is under legal hold or before
    its retention end (the database), or, on S3, while the object's lock runs or holds
    (``BlobLocked``), whatever the server itself would accept. Callers remove content only
    once no file refers to it any more."""
    for stored in StoredFile.objects.filter(sha256=sha256):
        ensure_deletable(stored)
    if uses_s3():
        s3.delete(sha256)
        return
    blob_storage().delete(blob_name(sha256))
