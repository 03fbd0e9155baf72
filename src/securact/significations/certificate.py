"""The deposit certificate of a signification (F4.5), from what the database recorded."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from securact.documents.services import pdfa_claim
from securact.evidence.deposit_certificate import (
    ActNatureInfo,
    CertificateIdentity,
    DepositCertificateData,
    DepositedFile,
    PracticeInfo,
    RecipientInfo,
    sealed_deposit_certificate,
)
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.significations import work_store
from securact.significations.models import Signification
from securact.significations.process import PermanentStepError, TransientStepError
from securact.significations.vault_folders import bailiff_vault

NAME = "attestation_depot.xml"


def certificate_data(signification: Signification) -> DepositCertificateData:
    if signification.sent_at is None:
        raise PermanentStepError("Dépôt introuvable : l'attestation ne peut précéder le dépôt.")
    # The serving bailiff's certificate: the one who signs, whoever submitted (himself, or
    # the practice's EDI software acting for him, whose certificate is the journal's actor).
    vault = bailiff_vault(signification)
    files = tuple(
        DepositedFile(
            name=act.deposited_name,
            size=act.stored_file.size,
            sha256=act.stored_file.sha256,
            pdfa_level=pdfa_claim(work_store.local_copy(act.signed_path, act.signed_sha256)) or "",
        )
        for act in signification.acts.select_related("stored_file")
        if act.stored_file is not None
    )
    return DepositCertificateData(
        platform=settings.SECURACT_PLATFORM_NAME,
        signification_id=signification.pk,
        deposit_reference=signification.reference,
        practice=PracticeInfo(signification.practice.code, signification.practice.name),
        bailiff_certificate=CertificateIdentity.from_der(bytes(vault.certificate_der or b"")),
        recipient=RecipientInfo(signification.recipient.name, signification.recipient.siret),
        nature=ActNatureInfo(signification.nature.code, signification.nature.label),
        files=files,
        deposited_at=signification.sent_at,
    )


def write_sealed_certificate(signification: Signification, target: Path) -> None:
    """Build, seal and timestamp ``attestation_depot.xml``; written atomically."""
    try:
        sealed = sealed_deposit_certificate(certificate_data(signification))
    except SealTransientError as error:
        raise TransientStepError(str(error)) from error
    except SealConfigurationError as error:
        raise PermanentStepError(str(error)) from error
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(sealed)
    partial.replace(target)
