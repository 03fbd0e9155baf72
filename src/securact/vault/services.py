"""Who is behind a certificate, and the first-connection declaration (F1.2).

``identify`` runs on every request: one indexed query on the fingerprint. ``declare_vault``
creates the vault and binds it to the certificate, atomically; a second confirmation
(double click, two tabs) finds the vault already there and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from securact.core.errors import Refusal
from securact.directory.models import Bailiff, Practice, Recipient
from securact.pki.certificates import CertificateInfo
from securact.pki.models import OperatorCertificate
from securact.vault import edi_certificates
from securact.vault.folders import ensure_folders
from securact.vault.journaling import VaultAction, record
from securact.vault.models import EdiCertificate, StoredFile, Vault
from securact.vault.quota import note_deposit
from securact.vault.retention import retention_end
from securact.vault.storage import lock_blob, put_blob
from securact.vault.timestamping import timestamp_content


class Standing(StrEnum):
    BAILIFF = "bailiff"
    RECIPIENT = "recipient"
    OPERATOR = "operator"
    EDI = "edi"  # a practice's software (issue 13): the API only, for the practice's bailiffs
    TO_DECLARE = "to_declare"  # first connection: the declaration page
    RENEWAL = "renewal"  # the holder already has a vault bound to another certificate
    UNKNOWN = "unknown"  # no practice or recipient of the directory matches


UNKNOWN_REASONS = {
    "unknown_practice": _("Votre étude n'est pas inscrite au service SECURACT."),
    "unknown_recipient": _("Votre organisme n'est pas inscrit comme destinataire SECURACT."),
    "edi_withdrawn": _(
        "Ce certificat de logiciel EDI a été retiré par votre étude : il ne donne plus accès "
        "à SECURACT."
    ),
    "unbound": _(
        "Ce certificat n'est rattaché ni à une étude de commissaire de justice ni à "
        "un destinataire."
    ),
}


@dataclass(frozen=True)
class Identity:
    standing: Standing
    certificate: CertificateInfo
    vault: Vault | None = None
    operator: OperatorCertificate | None = None
    edi: EdiCertificate | None = None
    reason: str = ""

    @property
    def holder(self) -> str:
        return self.certificate.holder

    @property
    def bailiff(self) -> Bailiff | None:
        return self.vault.bailiff if self.vault else None

    @property
    def recipient(self) -> Recipient | None:
        return self.vault.recipient if self.vault else None

    @property
    def practice(self) -> Practice | None:
        """The practice a bailiff or a practice's EDI software acts for."""
        if self.edi is not None:
            return self.edi.practice
        bailiff = self.bailiff
        return bailiff.practice if bailiff is not None else None

    @property
    def signed_in(self) -> bool:
        return self.standing in {Standing.BAILIFF, Standing.RECIPIENT, Standing.OPERATOR}


class DeclarationRefused(Refusal):
    """A vault declaration refused; ``message`` says why, in French."""


def identify(info: CertificateInfo) -> Identity:
    vault = (
        Vault.objects.select_related("bailiff__practice", "recipient")
        .filter(certificate_fingerprint=info.fingerprint)
        .first()
    )
    if vault is not None:
        return Identity(Standing(vault.owner_kind), info, vault=vault)
    operator = (
        OperatorCertificate.objects.select_related("user")
        .filter(fingerprint=info.fingerprint, user__is_active=True)
        .first()
    )
    if operator is not None:
        return Identity(Standing.OPERATOR, info, operator=operator)
    edi = edi_certificates.registered_certificate(info.fingerprint)
    if edi is not None:
        if not edi.active:  # withdrawn: never again anybody (not a vault to declare either)
            return Identity(Standing.UNKNOWN, info, reason="edi_withdrawn")
        return Identity(Standing.EDI, info, edi=edi)
    return _undeclared(info)


def _undeclared(info: CertificateInfo) -> Identity:
    if info.practice_code:
        if not Practice.objects.filter(code=info.practice_code).exists():
            return Identity(Standing.UNKNOWN, info, reason="unknown_practice")
        existing = Vault.objects.filter(
            bailiff__practice__code=info.practice_code, bailiff__full_name=info.holder
        )
    elif info.siret:
        if not Recipient.objects.filter(siret=info.siret).exists():
            return Identity(Standing.UNKNOWN, info, reason="unknown_recipient")
        existing = Vault.objects.filter(
            recipient__siret=info.siret, certificate_fingerprint__isnull=False
        )
    else:
        return Identity(Standing.UNKNOWN, info, reason="unbound")
    standing = Standing.RENEWAL if existing.exists() else Standing.TO_DECLARE
    return Identity(standing, info)


def declare_vault(info: CertificateInfo) -> Vault:
    """Create the holder's vault, bound to this certificate (idempotent for the same one)."""
    identity = identify(info)
    if identity.vault is not None:
        return identity.vault
    if identity.standing is not Standing.TO_DECLARE:
        raise DeclarationRefused(
            str(
                UNKNOWN_REASONS.get(
                    identity.reason,
                    _("Un coffre-fort existe déjà pour ce titulaire avec un autre certificat."),
                )
            )
        )
    try:
        with transaction.atomic():
            return _create_vault(info)
    except IntegrityError:
        # A concurrent confirmation won the race: the vault it created is the one.
        return Vault.objects.get(certificate_fingerprint=info.fingerprint)


def _create_vault(info: CertificateInfo) -> Vault:
    binding = {
        "certificate_fingerprint": info.fingerprint,
        "certificate_serial": info.serial_hex,
        "certificate_holder": info.holder,
        "certificate_issuer": info.issuer,
        "certificate_not_after": info.not_after,
        "certificate_der": info.der,
    }
    if info.practice_code:
        practice = Practice.objects.get(code=info.practice_code)
        bailiff, _created = Bailiff.objects.get_or_create(
            practice=practice,
            full_name=info.holder,
            defaults={"function": info.function or "Commissaire de justice"},
        )
        return Vault.objects.create(owner_kind=Vault.OwnerKind.BAILIFF, bailiff=bailiff, **binding)
    recipient = Recipient.objects.get(siret=info.siret)
    # Deposits may have created the vault already: binding it keeps what it holds.
    unbound = Vault.objects.filter(recipient=recipient, certificate_fingerprint__isnull=True)
    if unbound.update(**binding):
        return Vault.objects.get(recipient=recipient)
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.RECIPIENT, recipient=recipient, **binding
    )


class VaultConflict(Exception):
    """A different file already carries that name in that folder."""


@dataclass(frozen=True)
class StoredContent:
    """A file's content in the blob store, with the TSA's token over its SHA-256: the half
    of a deposit that talks to storage and to the TSA, done before any transaction."""

    sha256: str
    size: int
    deposit_timestamp: bytes


def store_content(source: Path) -> StoredContent:
    """Store ``source``'s bytes and have them timestamped (RFC 3161), outside any
    transaction: callers that deposit inside their own atomic block call this first and
    hand the result to :func:`deposit_file`, so that no network call runs under the
    journal's lock. Raises ``SealTransientError`` when the TSA fails (try again later)."""
    sha256, size = put_blob(source)
    return StoredContent(sha256, size, timestamp_content(sha256))


def deposit_file(
    vault: Vault,
    name: str,
    source: Path | StoredContent,
    *,
    depositor: str,
    deposited_at: datetime,
    kind: str = StoredFile.Kind.OTHER,
    folder: str = "/",
    signification_id: int | None = None,
) -> StoredFile:
    """Put a file into a vault and journal it. Idempotent: depositing the same content under
    the same name again returns the existing entry; other content under that name is a
    conflict. Evidence kinds get their retention end, fixed now (F7.4), and on S3 their
    object lock. A new entry carries the TSA's token over its SHA-256 (the proof's
    timestamp), asked for before the transaction; ``SealTransientError`` when the TSA
    fails. ``source`` is a path, or what :func:`store_content` returned when the caller
    holds a transaction open."""
    token: bytes | None = None
    retain_until = retention_end(kind, deposited_at)
    if isinstance(source, StoredContent):
        sha256, size, token = source.sha256, source.size, source.deposit_timestamp
        lock_blob(sha256, retain_until)  # stored before the kind was known
    else:
        sha256, size = put_blob(source, retain_until=retain_until)
    existing = StoredFile.objects.filter(vault=vault, folder=folder, name=name).first()
    if existing is not None:
        if existing.sha256 != sha256:
            raise VaultConflict(f"{folder}{name}")
        return existing
    if token is None:
        token = timestamp_content(sha256)  # the network, before the transaction
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                vault=vault,
                folder=folder,
                name=name,
                kind=kind,
                sha256=sha256,
                size=size,
                depositor=depositor,
                deposited_at=deposited_at,
                signification_id=signification_id,
                retain_until=retain_until,
                deposit_timestamp=token,
            )
            record(vault, VaultAction.DEPOSITED, actor=depositor, stored=stored)
            ensure_folders(vault, folder)  # listings read folders from their rows
            note_deposit(vault, stored)  # never refused: warns once over the quota (F7)
            return stored
    except IntegrityError:
        # A concurrent deposit of that name won: same content, its entry; else a conflict.
        return deposit_file(
            vault,
            name,
            StoredContent(sha256, size, token),
            depositor=depositor,
            deposited_at=deposited_at,
            kind=kind,
            folder=folder,
            signification_id=signification_id,
        )


def recipient_vault(recipient: Recipient) -> Vault:
    """The recipient's vault, created unbound if it never connected (deposits come first)."""
    vault, _created = Vault.objects.get_or_create(
        recipient=recipient, defaults={"owner_kind": Vault.OwnerKind.RECIPIENT}
    )
    return vault
