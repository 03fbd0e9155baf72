"""Portal fixtures: a recipient signed in with its demo certificate (proxy mode, in-process,
as ``tests/web/conftest.py`` ``signed_in``), and deposits served on it as the service
process leaves them — rows, acts under their deposited names, the signed acts' bytes in the
recipient's vault, the deadline of the 24 h rule — without running the process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from securact.core.legal_calendar import delivery_deadline
from securact.directory.models import Bailiff, Recipient
from securact.evidence import journal
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Act, Signification
from securact.vault.models import StoredFile, Vault
from securact.vault.services import declare_vault, deposit_file, recipient_vault
from tests.web.test_search_support import make_signification

BANK = "recipient-banque-test"
OTHER_BANK = "recipient-credit-demo"


def get(client: Client, path: str, params: dict[str, Any] | None = None) -> Any:
    return client.get(path, params or {}, secure=True)


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, secure=True)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def holder(settings, identities, pki_server, demo_directory) -> Callable[..., Client]:
    """``holder("recipient-banque-test")``: a new client presenting that certificate (its
    vault declared first unless ``declare=False``)."""
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str, *, declare: bool = True) -> Client:
        identity = identities[label]
        if declare:
            declare_vault(parse_certificate(pem_to_der(Path(identity.cert).read_bytes())))
        return Client(
            HTTP_X_SSL_CLIENT_CERT=identity.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS"
        )

    return sign_in


@pytest.fixture
def bank(holder) -> Client:
    return holder(BANK)


def bank_recipient() -> Recipient:
    return Recipient.objects.get(name="BANQUE TEST")


def durand(identities) -> Bailiff:
    vault = declare_vault(
        parse_certificate(pem_to_der(Path(identities["bailiff-durand"].cert).read_bytes()))
    )
    assert vault.bailiff is not None
    return vault.bailiff


def fingerprint_of(identities, label: str) -> str:
    return parse_certificate(pem_to_der(Path(identities[label].cert).read_bytes())).fingerprint


class Deposits:
    """``deposits.make("REF", sent_at)``: a deposit served on BANQUE TEST (or ``recipient``)
    by Claire DURAND, awaiting consultation, its acts' bytes in the recipient's vault."""

    def __init__(self, identities: Any, work: Path) -> None:
        self.identities = identities
        self.work = work
        self._bailiff: Bailiff | None = None

    @property
    def bailiff(self) -> Bailiff:
        if self._bailiff is None:
            self._bailiff = durand(self.identities)
        return self._bailiff

    def make(
        self,
        reference: str,
        sent_at: datetime,
        *,
        recipient: Recipient | None = None,
        nature_code: str = "saisie-attribution",
        files: tuple[str, ...] = ("acte.pdf",),
        bailiff: Bailiff | None = None,
    ) -> Signification:
        signification = make_signification(
            bailiff or self.bailiff,
            reference,
            recipient=recipient or bank_recipient(),
            nature_code=nature_code,
            sent_at=sent_at,
            files=files,
        )
        signification.delivery_deadline = delivery_deadline(sent_at, "24h")
        signification.save(update_fields=["delivery_deadline"])
        vault = recipient_vault(signification.recipient)
        self.work.mkdir(parents=True, exist_ok=True)
        for act in signification.acts.all():
            source = self.work / f"{signification.pk}-{act.position}.pdf"
            source.write_bytes(f"%PDF-1.7 {act.deposited_name}\n%%EOF\n".encode())
            act.stored_file = deposit_file(
                vault,
                act.deposited_name,
                source,
                depositor=signification.actor_fingerprint,
                deposited_at=sent_at,
                kind=StoredFile.Kind.ACT,
                signification_id=signification.pk,
            )
            act.save(update_fields=["stored_file"])
            journal.append(
                journal.Action.DEPOSITED,
                actor=signification.actor_fingerprint,
                signification_id=signification.pk,
                data={"file": act.deposited_name},
            )
        journal.append(
            journal.Action.ARCHIVED,
            actor=journal.PLATFORM_ACTOR,
            signification_id=signification.pk,
            data={"file": "BANQUE_TEST__archive.zip"},
        )
        return signification


@pytest.fixture
def deposits(identities, demo_directory, settings, tmp_path, pki_server) -> Deposits:
    # pki_server: each deposit in a vault is timestamped by the TSA.
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    return Deposits(identities, tmp_path / "work")


def acts_of(signification: Signification) -> list[Act]:
    return list(signification.acts.order_by("position"))


def vault_of(recipient: Recipient) -> Vault:
    return Vault.objects.get(recipient=recipient)
