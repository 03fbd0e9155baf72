"""``vault_backend``: each vault test that asks for it runs twice, on the local directory and
on the S3 server (moto, a fresh bucket), through one interface to look at and tamper with
the stored content from outside Securact (fixity audits flip bytes with it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from securact.vault.blobs import blob_name
from tests.s3_fixtures import S3Vault


@dataclass
class LocalVault:
    """The local backend as a test sees it: the blob files in ``root``."""

    root: Path
    name: str = "local"

    def env(self) -> dict[str, str]:
        """Environment for a Securact process (gunicorn, worker) on this directory."""
        return {"SECURACT_VAULT_STORAGE": "local", "SECURACT_VAULT_DIR": str(self.root)}

    def path(self, sha256: str) -> Path:
        return self.root / blob_name(sha256)

    def content(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def overwrite(self, sha256: str, data: bytes) -> None:
        path = self.path(sha256)
        path.chmod(0o600)
        path.write_bytes(data)

    def truncate(self, sha256: str) -> None:
        with self.path(sha256).open("r+b") as handle:
            handle.truncate(max(0, os.fstat(handle.fileno()).st_size - 1))

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink()


Backend = LocalVault | S3Vault


@pytest.fixture(params=["local", "s3"])
def vault_backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Backend:
    """The vault's blob store, local then S3; ``.name`` says which."""
    if request.param == "s3":
        s3_vault: S3Vault = request.getfixturevalue("s3_vault")
        return s3_vault
    root = tmp_path / "vault"
    settings.SECURACT_VAULT_STORAGE = "local"
    settings.SECURACT_VAULT_DIR = root
    return LocalVault(root)
