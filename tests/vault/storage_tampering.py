"""Damage a stored content behind Securact's back, in the REAL storage, as a disk fault, an
intruder or an operator's mistake would: through the backends of ``tests/vault/conftest.py``
(``LocalVault``, the blob files; ``S3Vault``, the objects through boto3), whose methods
``content``, ``overwrite``, ``truncate`` and ``remove`` do it. ``flip_byte`` and ``cut`` are
written once on top of them; ``make_unreadable`` is local only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from tests.vault.conftest import Backend, LocalVault


def local_vault() -> LocalVault:
    """The blob files under ``SECURACT_VAULT_DIR`` (the embedded default backend), for the
    tests outside ``tests/vault`` that damage a local content."""
    return LocalVault(Path(settings.SECURACT_VAULT_DIR))


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
