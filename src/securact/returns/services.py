"""The rules of act returns (*retour d'acte*, F6.4, F8.1): what a recipient may answer,
how the answer becomes a sealed PDF in the bailiff's vault, and when it is due (R.211-4).

``submit_return`` is the one entry for the portal, the API and tests. It refuses, in French:

* a signification that is not deposited to this recipient (``ReturnNotFound``: the portal
  answers 404, saying nothing of whose it is);
* a nature that expects no return; a second return; a return once the bailiff's mainlevée of
  the seizure is served (``ReturnRefused``);
* a declaration with wrong values (``DeclarationInvalid``, French messages by field), a file
  that is not an acceptable PDF (``ReturnRefused``).

Nothing half-done is left on failure: the PDF is checked, drawn, converted to PDF/A-2b and
sealed in a private scratch folder of this process first (removed afterwards, whatever
happens: the answer itself is kept in the database, never on this machine's disk); then the
vault entry, the return's rows, the dashboard notice and the journal entry are written in one
transaction. A failure before the commit leaves no row (at worst an unreferenced blob in the
content-addressed store), and the recipient may simply send again; a duplicate that raced
the first is refused by the primary key.

The mainlevée rule: a seizure is released by a mainlevée (or mainlevée-quittance)
signification that the bailiff links to it (``record_release``): same practice, same
recipient, served after the seizure. From the moment that mainlevée is served (its
``sent_at``), the seizure expects no answer: a return is refused and it is never overdue.
References cannot tie them (a reference is unique within a practice), and a rule by
recipient alone would let one mainlevée block every other garnishment at the same bank.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from securact.directory.models import Recipient
from securact.evidence import journal
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.returns import sealing_step  # noqa: F401  (registers the RETURN_SEAL step)
from securact.returns.deadlines import AnswerStatus, status_of
from securact.returns.declaration import Declaration, check_declaration
from securact.returns.errors import DeclarationInvalid, ReturnNotFound, ReturnRefused
from securact.returns.models import (
    ActReturn,
    DeclaredAccount,
    GarnishmentDeclaration,
)
from securact.returns.sealing import AcceptedPdf, accepted_pdf, composed_pdf, convert_return
from securact.returns.status import (
    already_answered,
    existing_return,
    recipient_signification,
    require_answerable,
    return_name,
)
from securact.significations import process, work_store
from securact.significations.models import Signification, Step

logger = logging.getLogger(__name__)


# --- recording -----------------------------------------------------------------------------


def _store_declaration(act_return: ActReturn, declaration: Declaration) -> None:
    record = GarnishmentDeclaration.objects.create(
        act_return=act_return,
        debtor_is_individual=declaration.debtor_is_individual,
        protected_balance=declaration.protected_balance,
        prior_encumbrances=declaration.prior_encumbrances,
    )
    DeclaredAccount.objects.bulk_create(
        DeclaredAccount(
            declaration=record,
            position=position,
            kind=account.kind,
            number=account.number,
            balance=account.balance,
            direction=account.direction,
        )
        for position, account in enumerate(declaration.accounts, start=1)
    )


def _journal_data(
    pdfa: bytes,
    act_return: ActReturn,
    declaration: Declaration | None,
    upload: AcceptedPdf | None,
) -> dict[str, object]:
    data: dict[str, object] = {
        "file": act_return.name,
        "pdfa_sha256": hashlib.sha256(pdfa).hexdigest(),
        "size": len(pdfa),
        "deadline": act_return.deadline.isoformat(),
        "on_time": act_return.on_time,
        "message": gettext(
            "Réponse reçue du destinataire : %(file)s, enregistrée ; elle sera scellée et "
            "déposée dans le coffre-fort du commissaire de justice"
        )
        % {"file": act_return.name},
    }
    if upload is not None:
        data["uploaded"] = {"name": upload.name, "sha256": upload.sha256}
    if declaration is not None:
        totals = declaration.totals
        data["declaration"] = {
            "accounts": len(declaration.accounts),
            "credit_total": str(totals.credit),
            "debit_total": str(totals.debit),
            "protected_balance": (
                None
                if declaration.protected_balance is None
                else str(declaration.protected_balance)
            ),
        }
    return data


def _record(
    signification: Signification,
    pdfa: bytes,
    *,
    status: AnswerStatus,
    actor: str,
    at: datetime,
    declaration: Declaration | None,
    upload: AcceptedPdf | None,
) -> ActReturn:
    with transaction.atomic():
        require_answerable(signification, at)  # again, now that the work is done
        try:
            with transaction.atomic():
                act_return = ActReturn.objects.create(
                    signification=signification,
                    created_at=at,
                    author_fingerprint=actor,
                    name=return_name(signification),
                    deadline=status.deadline,
                    on_time=not status.late,
                    uploaded_name=upload.name if upload else "",
                    uploaded_sha256=upload.sha256 if upload else "",
                    pending_pdf=pdfa,
                )
        except IntegrityError as raced:
            # A concurrent submission committed first.
            raise already_answered(existing_return(signification)) from raced
        if declaration is not None:
            _store_declaration(act_return, declaration)
        journal.append(
            journal.Action.ACT_RETURN_RECEIVED,
            actor=actor,
            signification_id=signification.pk,
            data=_journal_data(pdfa, act_return, declaration, upload),
        )
        # Sealed and deposited by the engine's step, whether the timestamp authority answers
        # now or later (the answer has a legal deadline: never refused for that).
        process.add_event_step(signification.pk, Step.Name.RETURN_SEAL)
    return act_return


def submit_return(
    signification_id: int,
    *,
    recipient: Recipient,
    actor: str,
    pdf: File[bytes] | None = None,
    declaration: Declaration | None = None,
    at: datetime,
) -> ActReturn:
    """Record the recipient's answer to a signification deposited to it, at ``at``.

    ``actor`` is the SHA-256 fingerprint of the recipient's certificate; ``pdf`` its answer
    as a PDF (an uploaded file), ``declaration`` the structured one: one of them at least.
    Returns the recorded :class:`ActReturn` (its ``stored_file`` is the sealed PDF in the
    bailiff's vault). Raises ``ReturnNotFound``, ``ReturnRefused``, ``DeclarationInvalid``,
    ``ReturnUnavailable`` (module docstring)."""
    signification = recipient_signification(signification_id, recipient)
    require_answerable(signification, at)
    status = status_of(signification, answered_at=at, released=False)
    if status is None:  # pragma: no cover - deposited and expecting a return, checked above
        raise ReturnNotFound(gettext("Ce dépôt est introuvable."))
    if declaration is not None:
        declaration = declaration.normalized()
        try:
            check_declaration(declaration)
        except ValidationError as error:
            raise DeclarationInvalid(error) from error
    with work_store.scratch() as work:
        upload = accepted_pdf(pdf, work) if pdf is not None else None
        if declaration is not None:
            composed = composed_pdf(signification, status, declaration, upload, at, work)
        elif upload is not None:
            composed = upload.path  # its PDF alone, as it sent it
        else:
            raise ReturnRefused(
                gettext(
                    "Joignez votre réponse au format PDF ou remplissez la déclaration des comptes."
                )
            )
        pdfa = work / "pdfa.pdf"
        convert_return(composed, pdfa, signification.pk)
        # The journal message is a legal record: in French, whatever the request's language.
        with translation.override(LEGAL_LANGUAGE):
            act_return = _record(
                signification,
                pdfa.read_bytes(),
                status=status,
                actor=actor,
                at=at,
                declaration=declaration,
                upload=upload,
            )
    logger.info("signification %s: act return %s received", signification.pk, act_return.name)
    # Its first pass here, once recorded: sealed at once when the authority answers; if not,
    # the step is pending and retried by the workers with the engine's backoff (and found
    # again by the recovery at worker start should this process die right now).
    process.execute(signification.pk, Step.Name.RETURN_SEAL)
    act_return.refresh_from_db()
    return act_return
