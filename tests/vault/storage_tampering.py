"""Damage a stored content behind Securact's back, in the REAL storage, as a disk fault, an
intruder or an operator's mistake would: one class per storage backend, same methods.

The local backend changes the file under ``SECURACT_VAULT_DIR``. The S3 backend (branch
s3-backend) adds its own class here: ``flip_byte``/``truncate`` overwrite the object through
boto3 with the altered bytes, ``remove`` deletes it (``make_unreadable`` has no S3 form).
``tamperer(backend)`` gives the one for the backend under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

from django.conf import settings

from securact.vault.storage import blob_name


class Tamperer(Protocol):
    def read(self, sha256: str) -> bytes: ...
    def flip_byte(self, sha256: str, offset: int = 0) -> None: ...
    def truncate(self, sha256: str, keep: int) -> None: ...
    def remove(self, sha256: str) -> None: ...
    def restore(self, sha256: str, content: bytes) -> None: ...


class LocalTamperer:
    """The blob files under ``SECURACT_VAULT_DIR`` (the embedded default backend)."""

    def path(self, sha256: str) -> Path:
        return Path(settings.SECURACT_VAULT_DIR) / blob_name(sha256)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def _write(self, sha256: str, content: bytes) -> None:
        path = self.path(sha256)
        path.chmod(0o600)
        path.write_bytes(content)

    def flip_byte(self, sha256: str, offset: int = 0) -> None:
        content = bytearray(self.read(sha256))
        content[offset] ^= 0x01
        self._write(sha256, bytes(content))

    def truncate(self, sha256: str, keep: int) -> None:
        self._write(sha256, self.read(sha256)[:keep])

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink()

    def restore(self, sha256: str, content: bytes) -> None:
        self._write(sha256, content)

    def make_unreadable(self, sha256: str) -> None:
        """A directory where the content was: the store answers with an error (root reads
        any file whatever its mode, so a mode change would not do)."""
        path = self.path(sha256)
        path.unlink()
        path.mkdir()

    def undo_unreadable(self, sha256: str) -> None:
        shutil.rmtree(self.path(sha256))


TAMPERERS: dict[str, type[LocalTamperer]] = {"local": LocalTamperer}


def tamperer(backend: str = "local") -> LocalTamperer:
    return TAMPERERS[backend]()
