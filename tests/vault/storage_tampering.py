"""Damage a stored content behind Securact's back, in the REAL storage, as a disk fault, an
intruder or an operator's mistake would.

One class per storage backend, each with the same four methods — ``content``, ``overwrite``,
``truncate`` (one byte less), ``remove`` — the interface of the S3 branch's ``vault_backend``
fixture (tests/vault/conftest.py there: ``LocalVault`` and ``S3Vault``, the latter
overwriting the object through boto3 and deleting it). ``LocalTamperer`` is the local one
until that fixture is on main; then the ``tamper`` fixtures of the fixity tests become
``vault_backend`` and every test below runs on both backends (``make_unreadable`` is local
only). ``flip_byte`` and ``cut`` are written once, on top of those methods.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from securact.vault.storage import blob_name


class Backend(Protocol):
    name: str

    def env(self) -> dict[str, str]: ...
    def content(self, sha256: str) -> bytes: ...
    def overwrite(self, sha256: str, data: bytes) -> None: ...
    def truncate(self, sha256: str) -> None: ...
    def remove(self, sha256: str) -> None: ...


class LocalTamperer:
    """The blob files under ``SECURACT_VAULT_DIR`` (the embedded default backend)."""

    name = "local"

    def env(self) -> dict[str, str]:
        """Environment for a Securact process (the command, a worker) on this storage."""
        return {"SECURACT_VAULT_DIR": str(settings.SECURACT_VAULT_DIR)}

    def path(self, sha256: str) -> Path:
        return Path(settings.SECURACT_VAULT_DIR) / blob_name(sha256)

    def content(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def overwrite(self, sha256: str, data: bytes) -> None:
        path = self.path(sha256)
        path.chmod(0o600)
        path.write_bytes(data)

    def truncate(self, sha256: str) -> None:
        self.overwrite(sha256, self.content(sha256)[:-1])

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink()


def flip_byte(backend: Backend, sha256: str, offset: int = 0) -> bytes:
    """Change one bit of the byte at ``offset``; the damaged content."""
    data = bytearray(backend.content(sha256))
    data[offset] ^= 0x01
    backend.overwrite(sha256, bytes(data))
    return bytes(data)


def make_unreadable(backend: Any, sha256: str) -> None:
    """Local backend only: a directory where the content was, so the store answers with an
    error (root reads any file whatever its mode, so a mode change would not do)."""
    path = backend.path(sha256)
    path.unlink()
    path.mkdir()


def cut(backend: Backend, sha256: str, keep: int) -> None:
    """Keep only the first ``keep`` bytes."""
    backend.overwrite(sha256, backend.content(sha256)[:keep])
