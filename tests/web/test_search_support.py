"""Helpers shared by the search and detail tests (this module holds no test).

Significations are made as the service process leaves them — rows, deposited names, the
bailiff's ZIP and ``attestation_depot.xml`` in the vault's blob store, journal entries with
the data the steps record — without running the process (the significations tests do)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.test import Client

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.evidence import journal
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Act, DeliveryState, Signification, Step
from securact.significations.naming import archive_name, deposited_name
from securact.significations.process import ORDER
from securact.vault.models import StoredFile, Vault
from securact.vault.services import declare_vault, deposit_file

FINGERPRINT = "ab" * 32


def get(client: Client, path: str, params: dict[str, Any] | None = None) -> Any:
    """A GET over HTTPS as the signed-in holder (``signed_in`` fixture of tests/web)."""
    return client.get(path, params or {}, secure=True)


def bailiff_named(surname: str) -> Bailiff:
    """A demo bailiff (vault declared by ``signed_in``): "DURAND" or "MARTIN"."""
    return Bailiff.objects.get(full_name__icontains=surname)


def declare(identities: dict[str, Any], label: str) -> Bailiff:
    """Declare a demo holder's vault without signing in as that holder."""
    holder = identities[label]
    vault = declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
    assert vault.bailiff is not None
    return vault.bailiff


def vault_of(bailiff: Bailiff) -> Vault:
    return Vault.objects.get(bailiff=bailiff)


def nature(code: str = "saisie-attribution") -> ActNature:
    return ActNature.objects.get(code=code)


def make_signification(
    bailiff: Bailiff,
    reference: str,
    *,
    recipient: Recipient | None = None,
    nature_code: str = "saisie-attribution",
    sent_at: datetime | None = None,
    source: str = Signification.Source.WEB,
    files: tuple[str, ...] = ("acte.pdf",),
    state: str = Signification.State.DONE,
    failed_step: tuple[str, str] | None = None,
    delivery: str = DeliveryState.AWAITING,
) -> Signification:
    """A signification with its acts and six steps: deposited at ``sent_at`` (done), or not
    deposited (``sent_at=None``: in progress, or failed at ``failed_step=(name, error)``)."""
    recipient = recipient or Recipient.objects.get(name="BANQUE TEST")
    signification = Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=recipient,
        nature=nature(nature_code),
        reference=reference,
        source=source,
        actor_fingerprint=FINGERPRINT,
        signing_certificate=b"",
        signing_token_label="test",
        state=Signification.State.FAILED if failed_step else state,
        sent_at=sent_at,
        delivery_state=delivery if sent_at else "",
    )
    Act.objects.bulk_create(
        Act(
            signification=signification,
            position=position,
            original_name=name,
            kind="pdf",
            upload_path="",
            size=1000,
            deposited_name=(
                deposited_name(bailiff.practice.code, reference, sent_at, position)
                if sent_at
                else ""
            ),
        )
        for position, name in enumerate(files, start=1)
    )
    Step.objects.bulk_create(
        Step(
            signification=signification,
            name=name,
            position=position,
            state=_step_state(name, sent_at, failed_step),
            error=failed_step[1] if failed_step and failed_step[0] == name else "",
        )
        for position, name in enumerate(ORDER, start=1)
    )
    return signification


def _step_state(name: str, sent_at: datetime | None, failed: tuple[str, str] | None) -> str:
    if sent_at is not None:
        return Step.State.DONE
    if failed is not None:
        index, failed_index = ORDER.index(Step.Name(name)), ORDER.index(Step.Name(failed[0]))
        if index < failed_index:
            return Step.State.DONE
        return Step.State.FAILED if index == failed_index else Step.State.PENDING
    return Step.State.RUNNING if name == Step.Name.CONVERT else Step.State.PENDING


@dataclass
class Archived:
    archive: StoredFile
    certificate: StoredFile
    archive_bytes: bytes
    certificate_bytes: bytes


def archive(signification: Signification, work: Path) -> Archived:
    """The ZIP and ``attestation_depot.xml`` in the author's vault, as the last two steps
    leave them (same folder and names)."""
    assert signification.sent_at is not None
    vault = vault_of(signification.bailiff)
    name = archive_name(
        signification.recipient.name, signification.reference, signification.sent_at
    )
    folder = f"/{name.removesuffix('.zip')}/"
    certificate_bytes = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<AttestationDepot reference="'
        f'{signification.reference}" id="{signification.pk}"/>\n'
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        for act in signification.acts.all():
            archive_file.writestr(act.deposited_name, f"%PDF-1.7 {act.pk}".encode())
        archive_file.writestr("attestation_depot.xml", certificate_bytes)
    archive_bytes = buffer.getvalue()
    work.mkdir(parents=True, exist_ok=True)
    stored = []
    for filename, content, kind in (
        ("attestation_depot.xml", certificate_bytes, StoredFile.Kind.DEPOSIT_CERTIFICATE),
        (name, archive_bytes, StoredFile.Kind.ARCHIVE),
    ):
        path = work / f"{signification.pk}-{filename}"
        path.write_bytes(content)
        stored.append(
            deposit_file(
                vault,
                filename,
                path,
                depositor=journal.PLATFORM_ACTOR,
                deposited_at=signification.sent_at,
                folder=folder,
                kind=kind,
                signification_id=signification.pk,
            )
        )
    return Archived(stored[1], stored[0], archive_bytes, certificate_bytes)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def record_history(signification: Signification, archived: Archived | None = None) -> None:
    """The journal entries of a served signification, with the data the steps record."""
    recipient = signification.recipient

    def add(action: str, data: dict[str, Any], actor: str = journal.PLATFORM_ACTOR) -> None:
        journal.append(action, actor=actor, signification_id=signification.pk, data=data)

    files = [{"name": act.original_name, "size": act.size} for act in signification.acts.all()]
    add(
        "signification.submitted",
        {"reference": signification.reference, "recipient": recipient.name, "files": files},
        actor=FINGERPRINT,
    )
    for act in signification.acts.all():
        add(
            "signification.deposited",
            {
                "file": act.deposited_name,
                "message": f"Fichier {act.deposited_name} ({signification.nature.label}) "
                f"déposé dans le coffre destinataire {recipient.name}",
            },
            actor=FINGERPRINT,
        )
    add("alert.email.sent", {"to": recipient.email, "provider_id": "m-1"})
    add("alert.sms.failed", {"error": "Numéro de mobile refusé par l'opérateur."})
    add(
        "deposit_certificate.created",
        {"file": "attestation_depot.xml", "message": "Création de l'attestation de dépôt"},
    )
    if archived is not None:
        add(
            "signification.archived",
            {
                "file": archived.archive.name,
                "message": f"Fichier {archived.archive.name} ({signification.nature.label}) "
                "déposé dans votre coffre pour archivage",
            },
        )
