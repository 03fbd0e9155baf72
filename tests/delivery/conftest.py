"""Delivery fixtures: deposited significations made directly in the database (the service
process is tested elsewhere; here only its outputs matter: time of sending, deadline of the
rule, deposited acts), and the bailiff's vault the certificate goes into."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from securact.core.legal_calendar import delivery_deadline
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.significations.models import Act, DeliveryState, Signification
from securact.vault.models import StoredFile, Vault
from securact.vault.services import deposit_file, recipient_vault
from tests.factories import ActNatureFactory, BailiffFactory, RecipientFactory
from tests.signing.samples import sample_pdfa

# A certificate fingerprint (the journal's actor) for the recipient who downloads.
RECIPIENT_ACTOR = "b" * 64
SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # a Tuesday, 10:30 in Paris


@dataclass
class Deposits:
    """``deposits.make(sent_at)``: a signification deposited at ``sent_at`` under ``rule``,
    awaiting consultation, with ``files`` acts under their deposited names. With
    ``stored=True`` the acts are real PDF/A files in the recipient's vault."""

    tmp: Path
    count: int = 0
    _nature: ActNature | None = field(default=None)

    def nature(self) -> ActNature:
        if self._nature is None:
            self._nature = ActNatureFactory(label="Procès-verbal de saisie-attribution")
        return self._nature

    def make(
        self,
        sent_at: datetime = SENT,
        *,
        rule: str = "24h",
        bailiff: Bailiff | None = None,
        recipient: Recipient | None = None,
        files: int = 1,
        stored: bool = False,
    ) -> Signification:
        self.count += 1
        bailiff = bailiff or BailiffFactory()
        reference = f"REF-{self.count:04d}"
        signification = Signification.objects.create(
            practice=bailiff.practice,
            bailiff=bailiff,
            recipient=recipient or RecipientFactory(),
            nature=self.nature(),
            reference=reference,
            actor_fingerprint="a" * 64,
            signing_certificate=b"",
            signing_token_label="t",
            sent_at=sent_at,
            delivery_state=DeliveryState.AWAITING,
            delivery_deadline=delivery_deadline(sent_at, rule),
        )
        stamp = sent_at.strftime("%Y%m%d_%H%M%S")
        for position in range(1, files + 1):
            suffix = "" if position == 1 else f"_{position}"
            name = f"{bailiff.practice.code}_{reference}_{stamp}{suffix}.pdf"
            act = Act.objects.create(
                signification=signification,
                position=position,
                original_name=f"acte-{position}.pdf",
                kind="pdf",
                upload_path="/nonexistent",
                size=1,
                deposited_name=name,
                signed_sha256=hashlib.sha256(name.encode()).hexdigest(),
            )
            if stored:
                act.stored_file = self._store(signification, name, sent_at)
                act.save(update_fields=["stored_file"])
        return signification

    def _store(self, signification: Signification, name: str, sent_at: datetime) -> StoredFile:
        pdf = sample_pdfa(self.tmp / f"{signification.pk}-{name}", text=name)
        return deposit_file(
            recipient_vault(signification.recipient),
            name,
            pdf,
            depositor=signification.actor_fingerprint,
            deposited_at=sent_at,
            kind=StoredFile.Kind.ACT,
            signification_id=signification.pk,
        )


@pytest.fixture
def deposits(db: None, tmp_path: Path, pki_server: object) -> Deposits:
    # pki_server: each deposit in a vault is timestamped by the TSA.
    return Deposits(tmp_path)


_vaults = 0


def bailiff_with_vault() -> Bailiff:
    """A bailiff whose vault is declared (bound to a made-up certificate fingerprint)."""
    global _vaults
    _vaults += 1
    bailiff = BailiffFactory()
    Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint=hashlib.sha256(f"vault-{_vaults}".encode()).hexdigest(),
    )
    return bailiff


@pytest.fixture
def signed_in_bailiff(client, settings, identities, pki_server, demo_directory):
    """``client, bailiff = signed_in_bailiff("bailiff-durand")``: the test client sends that
    holder's certificate as nginx forwards it (proxy mode, in-process); its vault is declared."""
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str) -> tuple[object, Bailiff]:
        holder = identities[label]
        vault = declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
        client.defaults.update(
            HTTP_X_SSL_CLIENT_CERT=holder.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS"
        )
        assert vault.bailiff is not None
        return client, vault.bailiff

    return sign_in
