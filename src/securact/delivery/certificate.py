"""Creating the delivery certificate (*attestation de remise*, F6.3), the engine's DELIVERY step.

Drawn (reportlab), made PDF/A-2b (the acts' Ghostscript path, claim checked), sealed by the
platform (PAdES B-LTA, its key on its token), put into the **bailiff's** vault beside the
deposit certificate and the archive, journaled, and announced on his dashboard (*à personne*
or *à domicile*).

Idempotent, like every step: the sealed file is put into the shared work store and recorded
on the certificate's row (its key and SHA-256, by compare-and-set) before it is deposited,
so that any worker finds it; and the deposit, the row's
``stored_file``, the notice and the journal entry are one transaction. A task run twice does
nothing the second time; a worker that died midway leaves either nothing recorded (the next
run makes the file again) or a recorded file (the next run deposits that one); two runs at
once seal twice at worst, and one of the two files is kept.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from securact.core import clock
from securact.dashboard.models import Category
from securact.dashboard.services import EVENT_IN_PERSON, notify
from securact.delivery.documents import (
    ActLine,
    CertificateContent,
    render_certificate,
)
from securact.delivery.letter import parties_of
from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import rule_of
from securact.documents.services import ConversionFailed
from securact.evidence import journal
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.evidence.pdf_seal import seal_as_pdfa
from securact.significations import work_store
from securact.significations.models import DeliveryState, Signification, Step
from securact.significations.process import (
    Outcome,
    PermanentStepError,
    TransientStepError,
    handler,
)
from securact.significations.vault_folders import bailiff_vault, evidence_folder
from securact.vault.models import StoredFile
from securact.vault.services import VaultConflict, deposit_file, store_content

logger = logging.getLogger(__name__)

# The dashboard's event for a delivery *à domicile*: the notice doubles as the reminder of
# the ordinary letter (art. 662-1 CPC). A gettext msgid, translated when shown.
EVENT_AT_HOME_LETTER = gettext_noop(
    "Dépôt de l'attestation de remise à domicile — lettre simple à envoyer le premier jour "
    "ouvrable suivant"
)


class CertificateNotReady(Exception):
    """The signification lacks what the certificate states (not decided, acts missing)."""


def _load(signification_id: int) -> Signification:
    return Signification.objects.select_related("practice", "bailiff", "recipient", "nature").get(
        pk=signification_id
    )


def certificate_content(
    signification: Signification, record: DeliveryCertificate, now: datetime
) -> CertificateContent:
    sent_at, deadline = signification.sent_at, signification.delivery_deadline
    delivered_at = signification.delivered_at
    if sent_at is None or deadline is None or delivered_at is None:
        raise CertificateNotReady(signification.pk)
    acts = tuple(
        ActLine(
            name=act.deposited_name,
            sha256=act.stored_file.sha256 if act.stored_file else act.signed_sha256,
            size=act.stored_file.size if act.stored_file else 0,
        )
        for act in signification.acts.select_related("stored_file").order_by("position")
        if act.deposited_name
    )
    if not acts:
        raise CertificateNotReady(signification.pk)
    return CertificateContent(
        platform=settings.SECURACT_PLATFORM_NAME,
        signification_id=signification.pk,
        reference=signification.reference,
        nature=signification.nature.label,
        parties=parties_of(signification),
        acts=acts,
        sent_at=sent_at,
        deadline=deadline,
        rule=rule_of(signification),
        mode=DeliveryState(record.mode),
        delivered_at=delivered_at,
        opened_at=signification.opened_at,
        letter_due=record.letter_due,
        issued_at=now,
    )


def _recorded(record: DeliveryCertificate) -> Path | None:
    """The sealed file recorded by an earlier run (on any machine), if it is still in the
    work store, unchanged: a local copy of it."""
    if not work_store.holds(record.pdf_path, record.pdf_sha256):
        return None
    try:
        return work_store.local_copy(record.pdf_path, record.pdf_sha256)
    except work_store.MissingWorkFile:
        return None


def _make_sealed(signification: Signification, record: DeliveryCertificate, now: datetime) -> str:
    """Draw, convert to PDF/A-2b and seal into the work store; returns its key, a name of
    its own (two runs at once never write the same key)."""
    key = work_store.key_for(signification.pk, f"remise/{secrets.token_hex(6)}_{record.name}")
    sealed = work_store.output_path(key)
    with work_store.scratch() as work:
        draft = work / "draft.pdf"
        render_certificate(certificate_content(signification, record, now), draft)
        seal_as_pdfa(draft, sealed)
    work_store.put(key, sealed)
    return key


def _sealed_file(signification: Signification, record: DeliveryCertificate, now: datetime) -> Path:
    existing = _recorded(record)
    if existing is not None:
        return existing
    key = _make_sealed(signification, record, now)
    kept = DeliveryCertificate.objects.filter(
        pk=record.pk, stored_file__isnull=True, pdf_sha256=record.pdf_sha256
    ).update(pdf_path=key, pdf_sha256=work_store.sha256(key))
    if kept:
        return work_store.local_copy(key)
    # Another run recorded its file first: keep that one.
    work_store.delete(key)
    record.refresh_from_db()
    winner = _recorded(record)
    if winner is None:
        raise SealTransientError(gettext("Attestation de remise en cours de création."))
    return winner


def _deposit(
    signification: Signification, record: DeliveryCertificate, sealed: Path, now: datetime
) -> StoredFile:
    folder = evidence_folder(signification, now)
    content = store_content(sealed)  # before the transaction: the TSA is a network call
    with transaction.atomic(), translation.override(LEGAL_LANGUAGE):
        stored = deposit_file(
            bailiff_vault(signification),
            record.name,
            content,
            depositor=journal.PLATFORM_ACTOR,
            deposited_at=now,
            folder=folder,
            kind=StoredFile.Kind.DELIVERY_CERTIFICATE,
            signification_id=signification.pk,
        )
        first = DeliveryCertificate.objects.filter(pk=record.pk, stored_file__isnull=True).update(
            stored_file=stored, completed_at=now
        )
        if first:
            _announce(signification, record, stored, now)
            # In the vault now: the work copy is not needed by any run any more.
            key = DeliveryCertificate.objects.values_list("pdf_path", flat=True).get(pk=record.pk)
            transaction.on_commit(lambda: work_store.delete(key))
    return stored


def _announce(
    signification: Signification, record: DeliveryCertificate, stored: StoredFile, now: datetime
) -> None:
    """The dashboard notice (which resolves *awaiting*), then the journal (its lock last)."""
    in_person = record.mode == DeliveryState.IN_PERSON
    notify(
        signification,
        Category.IN_PERSON if in_person else Category.AT_HOME,
        EVENT_IN_PERSON if in_person else EVENT_AT_HOME_LETTER,
        at=now,
    )
    journal.append(
        journal.Action.DELIVERY_CERTIFICATE_CREATED,
        actor=journal.PLATFORM_ACTOR,
        signification_id=signification.pk,
        data={
            "file": stored.name,
            "sha256": stored.sha256,
            "size": stored.size,
            "mode": record.mode,
            "message": gettext(
                "Création de l'attestation de remise %(file)s, déposée dans votre coffre"
            )
            % {"file": stored.name},
        },
    )


def create_certificate(signification_id: int, *, now: datetime) -> StoredFile | None:
    """Make the delivery certificate of a decided signification, once; returns its entry in
    the bailiff's vault (None while the delivery is not decided).

    Raises ``SealTransientError`` or a transient ``ConversionFailed`` (try again later),
    ``SealConfigurationError``, ``ConversionFailed``, ``CertificateNotReady``."""
    record = DeliveryCertificate.objects.filter(pk=signification_id).first()
    if record is None:
        return None
    if record.stored_file_id is not None:
        return record.stored_file
    signification = _load(signification_id)
    sealed = _sealed_file(signification, record, now)
    return _deposit(signification, record, sealed, now)


# --- the engine's DELIVERY step ---------------------------------------------------------------


@handler(Step.Name.DELIVERY)
class CreateDeliveryCertificate:
    """Run by the engine when the delivery is decided: transient failures (TSA, converter)
    are retried with the steps' backoff, recovered at worker start; the others fail the step
    (not the service) with their reason, shown on the detail page, until *Relancer*."""

    def run(self, signification: Signification) -> Outcome:
        try:
            create_certificate(signification.pk, now=clock.now())
        except SealTransientError as error:
            raise TransientStepError(str(error)) from error
        except ConversionFailed as error:
            if error.transient:
                raise TransientStepError(str(error)) from error
            raise PermanentStepError(str(error)) from error
        except CertificateNotReady as error:
            raise PermanentStepError(
                gettext(
                    "L'attestation de remise ne peut pas être créée : remise non décidée ou "
                    "actes non déposés."
                )
            ) from error
        except (SealConfigurationError, VaultConflict) as error:
            raise PermanentStepError(str(error)) from error
        return Outcome.DONE
