"""Vault pages fixtures: a bailiff's and a recipient's client presenting their demo
certificates (proxy mode, in-process, as ``tests/portal/conftest.py``), their vaults, and
files put into a vault as the service process or the owner leaves them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from securact.evidence.journal import PLATFORM_ACTOR
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.models import StoredFile, Vault
from securact.vault.services import declare_vault, deposit_file

DURAND = "bailiff-durand"
MARTIN = "bailiff-martin"
BANK = "recipient-banque-test"
OTHER_BANK = "recipient-credit-demo"


def get(client: Client, path: str, params: dict[str, Any] | None = None) -> Any:
    return client.get(path, params or {}, secure=True)


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, secure=True)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def text(response: Any) -> str:
    """The page as a person reads it (entities unescaped)."""
    return html.unescape(response.content.decode())


def history(response: Any) -> list[str]:
    """The session history's labels shown on a page (most recent first)."""
    block = re.search(r'<ol class="history-recent">(.*?)</ol>', text(response), re.S)
    if block is None:
        return []
    return [html.unescape(label) for label in re.findall(r"</time> ([^<]*)</li>", block.group(1))]


@pytest.fixture
def vault_dir(settings, tmp_path) -> Path:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    return Path(settings.SECURACT_VAULT_DIR)


@pytest.fixture
def holder(settings, identities, pki_server, demo_directory, vault_dir) -> Callable[..., Client]:
    """``holder(DURAND)``: a new client presenting that certificate, its vault declared."""
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str, **client_options: Any) -> Client:
        identity = identities[label]
        declare_vault(parse_certificate(pem_to_der(Path(identity.cert).read_bytes())))
        return Client(
            HTTP_X_SSL_CLIENT_CERT=identity.escaped_pem,
            HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
            **client_options,
        )

    return sign_in


def vault_of(identities: Any, label: str) -> Vault:
    return declare_vault(parse_certificate(pem_to_der(Path(identities[label].cert).read_bytes())))


def fingerprint_of(identities: Any, label: str) -> str:
    return parse_certificate(pem_to_der(Path(identities[label].cert).read_bytes())).fingerprint


@pytest.fixture
def put(tmp_path) -> Callable[..., StoredFile]:
    """``put(vault, "acte.pdf", b"…", kind=…, folder=…)``: a file deposited as the service
    process (evidence kinds) or the owner (``other``) leaves it."""
    count = 0

    def deposit(
        vault: Vault,
        name: str,
        content: bytes = b"%PDF-1.7\n%%EOF\n",
        *,
        kind: str = StoredFile.Kind.OTHER,
        folder: str = "/",
        signification_id: int | None = None,
        deposited_at: datetime | None = None,
        depositor: str = PLATFORM_ACTOR,
    ) -> StoredFile:
        nonlocal count
        count += 1
        source = tmp_path / f"put-{count}"
        source.write_bytes(content)
        return deposit_file(
            vault,
            name,
            source,
            depositor=depositor,
            deposited_at=deposited_at or timezone.now(),
            kind=kind,
            folder=folder,
            signification_id=signification_id,
        )

    return deposit
