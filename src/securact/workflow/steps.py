"""The six steps of the service process (F4.1–F4.6). Each is idempotent: what is already
recorded on the act rows (and verifies) is not done again, so a step can be run again after
a crash or a retry without repeating or losing anything."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from securact.core.legal_calendar import delivery_deadline
from securact.dashboard.services import notify_awaiting
from securact.datamessage.services import deposit_data_message
from securact.delivery.tasks import schedule_deadline
from securact.documents.office import office_converter
from securact.documents.services import ConversionFailed, DocumentKind, PdfaLevel, convert_to_pdfa
from securact.evidence import journal
from securact.pki.certificates import load_pem_bundle
from securact.significations import work_store
from securact.significations.models import Act, DeliveryState, Signification, Step
from securact.significations.naming import deposited_name
from securact.significations.process import (
    Outcome,
    PermanentStepError,
    TransientStepError,
    handler,
)
from securact.significations.signing_session import pending_signatures
from securact.significations.work_store import key_for
from securact.signing import cades, pades
from securact.signing.services import (
    SigningFailed,
    SigningTransientError,
    timestamper,
    validation_context,
)
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file, recipient_vault, store_content


def _output_ok(key: str, sha256: str) -> bool:
    """Is this output already in the work store, with the content the row recorded?"""
    return work_store.holds(key, sha256)


def _journal_once(signification: Signification, action: str, field: str) -> None:
    """The step's outcome in the journal (the F6 history, the EDI's events feed), once: a
    step run again after a crash finds its entry and adds none. ``field``: the act column
    holding the SHA-256 of what the step made."""
    if journal.entries_for(signification.pk).filter(action=action).exists():
        return
    files = [
        {"position": position, "sha256": sha256}
        for position, sha256 in Act.objects.filter(signification=signification)
        .order_by("position")
        .values_list("position", field)
    ]
    journal.append(
        action,
        actor=journal.PLATFORM_ACTOR,
        signification_id=signification.pk,
        data={"files": files},
    )


@handler(Step.Name.CONVERT)
class ConvertStep:
    """F4.1: every act to PDF/A (2b by default), signing-ready."""

    def run(self, signification: Signification) -> Outcome:
        for act in signification.acts.all():
            if _output_ok(act.pdfa_path, act.pdfa_sha256):
                continue
            key = key_for(signification.pk, f"{act.position:02d}.pdfa.pdf")
            target = work_store.output_path(key)
            try:
                if act.kind != DocumentKind.PDF:
                    office_converter().ensure_running()
                convert_to_pdfa(
                    work_store.local_copy(act.upload_path),
                    DocumentKind(act.kind),
                    target,
                    PdfaLevel(signification.pdfa_level),
                )
            except ConversionFailed as failure:
                error = TransientStepError if failure.transient else PermanentStepError
                raise error(failure.message) from failure
            Act.objects.filter(pk=act.pk).update(
                pdfa_path=key, pdfa_sha256=work_store.put(key, target)
            )
        _journal_once(signification, journal.Action.CONVERTED, "pdfa_sha256")
        return Outcome.DONE


@lru_cache(maxsize=4)
def _chain(_roots: str, _intermediates: str) -> list[x509.Certificate]:
    return [
        *load_pem_bundle(Path(_intermediates).read_bytes()),
        *load_pem_bundle(Path(_roots).read_bytes()),
    ]


def signing_chain() -> list[x509.Certificate]:
    return _chain(str(settings.SECURACT_TRUST_ROOTS), str(settings.SECURACT_TRUST_INTERMEDIATES))


@handler(Step.Name.SIGN)
class SignStep:
    """F4.2: PAdES B-LTA of each PDF/A and its detached CAdES, with the bailiff's token.

    In two rounds whatever the number of acts (issue 10): the worker prepares every act's
    PAdES at once, the bailiff's session (``signing_session``) signs them all in one token
    login, the worker finishes them; then the same for every CAdES. WAITING is returned
    while a round's signatures are missing.

    The same in both signing modes: the values come from the platform's signing session
    (remote: the bailiff's token and PIN) or are posted by the practice's software
    (client-side, ``significations.client_signing``, verified before they are stored)."""

    def input_given(self, signification_id: int) -> bool:
        """Every signature of the round is given (``process.WaitsForInput``)."""
        return not pending_signatures(signification_id)

    def run(self, signification: Signification) -> Outcome:
        cert = x509.Certificate.load(bytes(signification.signing_certificate))
        try:
            if not self._pades_round(signification.pk, list(signification.acts.all()), cert):
                return Outcome.WAITING
            if not self._cades_round(signification.pk, list(signification.acts.all()), cert):
                return Outcome.WAITING
        except SigningTransientError as error:
            raise TransientStepError(error.message) from error
        except SigningFailed as error:
            raise PermanentStepError(error.message) from error
        _journal_once(signification, journal.Action.SIGNED, "signed_sha256")
        return Outcome.DONE

    def _pades_round(self, pk: int, acts: list[Act], cert: x509.Certificate) -> bool:
        """True once every act is signed (PAdES); False while the round waits for the token.

        The prepared PDFs go into the work store: the worker that finishes the round after
        the token signed may not be the one that prepared it."""
        todo = [act for act in acts if not _output_ok(act.signed_path, act.signed_sha256)]
        prepared = {act.pk: key_for(pk, f"{act.position:02d}.prepared.pdf") for act in todo}
        to_prepare = [
            act
            for act in todo
            if act.pades_pending is None or not work_store.exists(prepared[act.pk])
        ]
        if to_prepare:
            pendings = {}
            for act in to_prepare:
                out = work_store.output_path(prepared[act.pk])
                pendings[act.pk] = pades.prepare_pades(
                    work_store.local_copy(act.pdfa_path, act.pdfa_sha256),
                    out,
                    cert,
                    signing_chain(),
                ).to_json()
                work_store.put(prepared[act.pk], out)
            # One transaction: the session sees the whole round or nothing, so it signs the
            # round in one login.
            with transaction.atomic():
                for act_pk, pending in pendings.items():
                    Act.objects.filter(pk=act_pk).update(
                        pades_pending=pending, pades_signature=None
                    )
            return False
        if any(act.pades_signature is None for act in todo):
            return False
        for act in todo:
            key = key_for(pk, f"{act.position:02d}.signed.pdf")
            signed = work_store.output_path(key)
            pades.finish_pades(
                pades.PendingSignature.from_json(act.pades_pending or ""),
                work_store.local_copy(prepared[act.pk]),
                bytes(act.pades_signature or b""),
                signed,
                timestamper=timestamper(),
                validation_context=validation_context(),
            )
            Act.objects.filter(pk=act.pk).update(
                signed_path=key, signed_sha256=work_store.put(key, signed)
            )
        return True

    def _cades_round(self, pk: int, acts: list[Act], cert: x509.Certificate) -> bool:
        """True once every signed act has its ``.p7s``; False while waiting for the token."""
        p7s = {act.pk: key_for(pk, f"{act.position:02d}.signed.pdf.p7s") for act in acts}
        todo = [act for act in acts if not (act.p7s_path and work_store.exists(act.p7s_path))]
        to_prepare = [act for act in todo if act.cades_pending is None]
        if to_prepare:
            pendings = {
                act.pk: cades.prepare_cades(
                    work_store.local_copy(act.signed_path, act.signed_sha256), cert, signing_chain()
                ).to_json()
                for act in to_prepare
            }
            with transaction.atomic():
                for act_pk, pending in pendings.items():
                    Act.objects.filter(pk=act_pk).update(
                        cades_pending=pending, cades_signature=None
                    )
            return False
        if any(act.cades_signature is None for act in todo):
            return False
        for act in todo:
            out = work_store.output_path(p7s[act.pk])
            cades.finish_cades(
                pades.PendingSignature.from_json(act.cades_pending or ""),
                bytes(act.cades_signature or b""),
                out,
                timestamper=timestamper(),
            )
            work_store.put(p7s[act.pk], out)
            Act.objects.filter(pk=act.pk).update(p7s_path=p7s[act.pk])
        return True


@handler(Step.Name.DEPOSIT)
class DepositStep:
    """F4.3: each signed act into the recipient's vault; the time of sending is fixed here.
    Then the act's data message, if it has one (F8.3), sealed and deposited beside them."""

    def run(self, signification: Signification) -> Outcome:
        sent_at = timezone.now()
        # Once: a retried deposit keeps the first time of sending and its deadline.
        Signification.objects.filter(pk=signification.pk, sent_at__isnull=True).update(
            sent_at=sent_at,
            delivery_state=DeliveryState.AWAITING,
            delivery_deadline=delivery_deadline(sent_at, settings.SECURACT_DELIVERY_RULE),
        )
        signification.refresh_from_db(fields=["sent_at", "delivery_state", "delivery_deadline"])
        deadline = signification.delivery_deadline
        if signification.sent_at is None or deadline is None:  # pragma: no cover - set above
            raise PermanentStepError(gettext("Heure de signification introuvable."))
        # F6.3: the deadline task, at every run (a duplicate from a retried deposit is a no-op).
        schedule_deadline(signification.pk, deadline)
        vault = recipient_vault(signification.recipient)
        for act in signification.acts.filter(stored_file__isnull=True):
            name = deposited_name(
                signification.practice.code,
                signification.reference,
                signification.sent_at,
                act.position,
            )
            # Stored and timestamped before the transaction: no TSA call under the lock.
            content = store_content(work_store.local_copy(act.signed_path, act.signed_sha256))
            with transaction.atomic():
                stored = deposit_file(
                    vault,
                    name,
                    content,
                    depositor=signification.actor_fingerprint,
                    deposited_at=signification.sent_at,
                    kind=StoredFile.Kind.ACT,
                    signification_id=signification.pk,
                )
                Act.objects.filter(pk=act.pk).update(deposited_name=name, stored_file=stored)
                notify_awaiting(signification)  # F2: the dashboard's "awaiting consultation"
                journal.append(
                    "signification.deposited",
                    actor=signification.actor_fingerprint,
                    signification_id=signification.pk,
                    data={
                        "etsi_event": "ContentConsignment",
                        "file": name,
                        "sha256": stored.sha256,
                        "size": stored.size,
                        "nature": signification.nature.label,
                        "recipient": signification.recipient.name,
                        "message": gettext(
                            "Fichier %(file)s (%(nature)s) déposé dans le coffre "
                            "destinataire %(recipient)s"
                        )
                        % {
                            "file": name,
                            "nature": signification.nature.label,
                            "recipient": signification.recipient.name,
                        },
                    },
                )
        # F8.3: the sealed data message beside the acts, once (before the recipient's alert).
        deposit_data_message(signification)
        return Outcome.DONE
