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
sealed in a private work directory first (removed afterwards, whatever happens); then the
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

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.core.legal_calendar import PARIS
from securact.dashboard.models import Category
from securact.dashboard.services import notify
from securact.delivery.services import parties_of
from securact.directory.models import Bailiff, Recipient
from securact.documents.services import (
    ConversionFailed,
    DocumentKind,
    UploadRefused,
    check_upload,
    save_upload,
)
from securact.evidence import journal
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.evidence.pdf_layout import LEGAL_LANGUAGE, long_day, paris_time
from securact.evidence.pdf_seal import seal_as_pdfa
from securact.returns.deadlines import AnswerStatus, overdue_before, status_at, status_of
from securact.returns.declaration import Declaration, check_declaration
from securact.returns.documents import (
    Attachment,
    ReturnContent,
    append_pages,
    page_count,
    render_declaration,
)
from securact.returns.models import (
    ActReturn,
    DeclaredAccount,
    GarnishmentDeclaration,
    SeizureRelease,
)
from securact.significations.models import Signification
from securact.significations.steps_after_deposit import bailiff_vault, evidence_folder
from securact.vault.models import StoredFile
from securact.vault.services import VaultConflict, deposit_file
from securact.vault.storage import file_sha256

logger = logging.getLogger(__name__)

MAINLEVEE_CODES = ("mainlevee", "mainlevee-quittance")


class ReturnRefused(Refusal):
    """The return is not accepted; ``message`` says why, in French."""


class ReturnNotFound(ReturnRefused):
    """No deposit of that id for this recipient (another's, missing, not deposited yet)."""


class ReturnUnavailable(ReturnRefused):
    """The platform could not seal the return now (TSA or revocation service down, seal
    misconfigured): nothing was recorded; the recipient sends it again later."""


class DeclarationInvalid(ReturnRefused):
    """The declaration's values are wrong: ``errors`` holds French messages by field
    (``protected_balance``, ``accounts.2.number``…)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(gettext("La déclaration comporte des erreurs : corrigez-les."))
        self.errors: dict[str, list[str]] = error.message_dict


class ReleaseRefused(ReturnRefused):
    """The mainlevée cannot be linked to that seizure."""


# --- names and reading ---------------------------------------------------------------------


def return_name(signification: Signification) -> str:
    """``{deposited name}_{NATURE}.pdf`` (F6.4): the first act's deposited name (the one
    without a position suffix, as for ``_REMISE.pdf``) and the nature's return label."""
    first = signification.acts.order_by("position").values_list("deposited_name", flat=True)[:1]
    stem = next(iter(first), "").removesuffix(".pdf")
    return f"{stem}_{signification.nature.return_label}.pdf"


def recipient_signification(signification_id: int, recipient: Recipient) -> Signification:
    """The signification deposited to ``recipient`` under that id, or ``ReturnNotFound``
    (another recipient's, a missing one and one not yet deposited look the same)."""
    signification = (
        Signification.objects.select_related("nature", "recipient", "practice", "bailiff")
        .defer("signing_certificate")
        .filter(pk=signification_id, recipient=recipient, sent_at__isnull=False)
        .first()
    )
    if signification is None:
        raise ReturnNotFound(gettext("Ce dépôt est introuvable."))
    return signification


def _served_releases(at: datetime) -> QuerySet[SeizureRelease]:
    return SeizureRelease.objects.filter(release__sent_at__isnull=False, release__sent_at__lte=at)


def release_served_at(signification: Signification, at: datetime) -> datetime | None:
    """When the first mainlevée of this seizure served by ``at`` was served, or None."""
    return (
        _served_releases(at)
        .filter(seizure=signification)
        .order_by("release__sent_at")
        .values_list("release__sent_at", flat=True)
        .first()
    )


def existing_return(signification: Signification) -> ActReturn | None:
    return ActReturn.objects.filter(signification=signification).first()


def answer_status(signification: Signification, *, at: datetime) -> AnswerStatus | None:
    """The R.211-4 deadline and where the answer stands (None: no answer expected)."""
    if signification.sent_at is None or not signification.nature.expects_return:
        return None
    answered = existing_return(signification)
    return answer_status_of(
        signification, answered_at=answered.created_at if answered else None, at=at
    )


def answer_status_of(
    signification: Signification, *, answered_at: datetime | None, at: datetime
) -> AnswerStatus | None:
    """The same, for a caller that knows whether it was answered (the detail page reads the
    return's vault entry with its other files); the mainlevée is looked up only when
    unanswered."""
    if signification.sent_at is None or not signification.nature.expects_return:
        return None
    released = answered_at is None and release_served_at(signification, at) is not None
    return status_of(signification, answered_at=answered_at, released=released)


def answer_badge(status: AnswerStatus | None, *, at: datetime) -> SafeString | str:
    """A list's cell for the answer: its deadline, and whether it is overdue (HTML)."""
    if status is None:
        return "—"
    day = status.deadline.strftime("%d/%m/%Y")
    if status.answered_at is not None:
        css, text = (
            "search-badge-person",
            gettext("Répondu le %(day)s")
            % {"day": timezone.localtime(status.answered_at, PARIS).strftime("%d/%m/%Y")},
        )
    elif status.released:
        css, text = "search-badge-running", gettext("Mainlevée signifiée")
    elif status.overdue(at):
        css, text = (
            "search-badge-failed",
            gettext("En retard (au plus tard le %(day)s)") % {"day": day},
        )
    else:
        css, text = "search-badge-awaiting", gettext("Au plus tard le %(day)s") % {"day": day}
    return format_html('<span class="search-badge {}">{}</span>', css, text)


def answer_state_label(status: AnswerStatus | None, *, at: datetime) -> str:
    """Section 4's *état du retour*, in French."""
    if status is None:
        return gettext("Pas encore de réponse du destinataire")
    values = {"day": long_day(status.deadline)}
    if status.answered:
        if status.late:
            return (
                gettext(
                    "Réponse déposée par le destinataire après le délai (au plus tard le %(day)s, "
                    "article R.211-4 du code des procédures civiles d'exécution)"
                )
                % values
            )
        return gettext("Réponse déposée par le destinataire dans le délai")
    if status.released:
        return gettext("Mainlevée signifiée : aucune réponse n'est plus attendue")
    if status.overdue(at):
        return (
            gettext("Pas encore de réponse du destinataire : le délai a expiré le %(day)s") % values
        )
    return gettext("Pas encore de réponse du destinataire (au plus tard le %(day)s)") % values


def answer_statuses(
    significations: list[Signification], *, at: datetime
) -> dict[int, AnswerStatus]:
    """``answer_status`` of each of a page of significations (those that expect an answer),
    in one query whatever their number: lists must not query per row."""
    expecting = {s.pk: s.sent_at for s in significations if s.sent_at and s.nature.expects_return}
    if not expecting:
        return {}
    answered = ActReturn.objects.filter(signification=OuterRef("pk")).values("created_at")
    released = _served_releases(at).filter(seizure=OuterRef("pk"))
    facts = Signification.objects.filter(pk__in=list(expecting)).values_list(
        "pk", "recipient__department", Subquery(answered[:1]), Exists(released)
    )
    return {
        pk: status_at(
            expecting[pk],
            department,
            answered_at=answered_at,
            released=bool(is_released) and answered_at is None,
        )
        for pk, department, answered_at, is_released in facts
    }


def awaiting_answer(recipient: Recipient, *, at: datetime) -> QuerySet[Signification]:
    """The recipient's deposits that still expect its answer, oldest first."""
    released = _served_releases(at).filter(seizure=OuterRef("pk"))
    return (
        Signification.objects.filter(
            recipient=recipient,
            sent_at__isnull=False,
            nature__expects_return=True,
            act_return__isnull=True,
        )
        .exclude(Exists(released))
        .order_by("sent_at", "pk")
    )


def overdue_answers(recipient: Recipient, *, at: datetime) -> QuerySet[Signification]:
    """Those past their R.211-4 deadline at ``at`` (one indexable bound on ``sent_at``)."""
    return awaiting_answer(recipient, at=at).filter(
        sent_at__lt=overdue_before(at, recipient.department)
    )


# --- refusals ------------------------------------------------------------------------------


def require_answerable(signification: Signification, at: datetime) -> None:
    """Raise ``ReturnRefused`` (French) when this deposit takes no return (any more)."""
    nature = signification.nature
    if not nature.expects_return:
        raise ReturnRefused(
            gettext("Cette signification (« %(nature)s ») n'appelle pas de retour d'acte.")
            % {"nature": nature.label}
        )
    answered = existing_return(signification)
    if answered is not None:
        raise _already_answered(answered)
    released_at = release_served_at(signification, at)
    if released_at is not None:
        raise ReturnRefused(
            gettext(
                "Le commissaire de justice a signifié la mainlevée de cette saisie le "
                "%(at)s : aucune réponse n'est plus attendue."
            )
            % {"at": paris_time(released_at)}
        )


def _already_answered(answered: ActReturn | None) -> ReturnRefused:
    if answered is None:
        return ReturnRefused(
            gettext("Un retour d'acte a déjà été déposé pour cette signification.")
        )
    return ReturnRefused(
        gettext(
            "Un retour d'acte a déjà été déposé pour cette signification le %(at)s : il ne "
            "peut être ni remplacé ni complété."
        )
        % {"at": paris_time(answered.created_at)}
    )


# --- the uploaded PDF ----------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedPdf:
    path: Path
    name: str
    sha256: str


def _accepted_pdf(pdf: File[bytes], work: Path) -> AcceptedPdf:
    """Saved and checked like an act (content, encryption, active content…); PDF only."""
    name = PurePath(pdf.name or "").name or "reponse.pdf"
    if PurePath(name).suffix.lower() != ".pdf":
        raise ReturnRefused(
            gettext("Le retour d'acte se dépose au format PDF : « %(name)s » n'en est pas un.")
            % {"name": name}
        )
    stream = pdf.file
    if stream is None:
        raise ReturnRefused(gettext("Le fichier « %(name)s » est vide.") % {"name": name})
    if stream.seekable():  # whatever read it before (a form, a virus scanner), from the start
        stream.seek(0)
    try:
        path = save_upload(stream, name, work)
        kind = check_upload(path, name)
    except UploadRefused as refused:
        raise ReturnRefused(str(refused)) from refused
    if kind is not DocumentKind.PDF:  # pragma: no cover - the extension is .pdf, checked above
        raise ReturnRefused(gettext("Le retour d'acte se dépose au format PDF."))
    return AcceptedPdf(path, name, file_sha256(path))


# --- drawing and sealing -------------------------------------------------------------------


def _content(
    signification: Signification,
    status: AnswerStatus,
    declaration: Declaration,
    attachment: Attachment | None,
    at: datetime,
) -> ReturnContent:
    return ReturnContent(
        platform=settings.SECURACT_PLATFORM_NAME,
        signification_id=signification.pk,
        reference=signification.reference,
        nature=signification.nature.label,
        parties=parties_of(signification),
        act_names=tuple(
            name
            for name in signification.acts.order_by("position").values_list(
                "deposited_name", flat=True
            )
            if name
        ),
        sent_at=signification.sent_at or at,
        deadline=status.deadline,
        deposited_at=at,
        declaration=declaration,
        attachment=attachment,
    )


def _composed(
    signification: Signification,
    status: AnswerStatus,
    declaration: Declaration,
    upload: AcceptedPdf | None,
    at: datetime,
    work: Path,
) -> Path:
    """The PDF to seal: the declaration drawn, then the recipient's pages if any."""
    attachment = Attachment(upload.name, page_count(upload.path)) if upload else None
    drawn = work / "declaration.pdf"
    render_declaration(_content(signification, status, declaration, attachment, at), drawn)
    if upload is None:
        return drawn
    combined = work / "combined.pdf"
    append_pages(drawn, upload.path, combined)
    return combined


def _seal(composed: Path, sealed: Path, signification_id: int) -> None:
    try:
        seal_as_pdfa(composed, sealed)
    except ConversionFailed as error:
        logger.warning("signification %s: return not convertible: %s", signification_id, error)
        if error.transient:
            raise ReturnUnavailable(_try_again()) from error
        raise ReturnRefused(
            gettext(
                "Votre réponse n'a pas pu être convertie au format PDF/A d'archivage : "
                "vérifiez que le PDF joint s'ouvre sans erreur, puis déposez-la de nouveau."
            )
        ) from error
    except (SealTransientError, SealConfigurationError) as error:
        logger.error("signification %s: return not sealed: %s", signification_id, error)
        raise ReturnUnavailable(_try_again()) from error


def _try_again() -> str:
    return gettext(
        "Le service ne peut pas sceller votre réponse pour le moment : elle n'a pas été "
        "déposée. Réessayez dans quelques minutes."
    )


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
    stored: StoredFile,
    act_return: ActReturn,
    declaration: Declaration | None,
    upload: AcceptedPdf | None,
) -> dict[str, object]:
    data: dict[str, object] = {
        "file": stored.name,
        "sha256": stored.sha256,
        "size": stored.size,
        "deadline": act_return.deadline.isoformat(),
        "on_time": act_return.on_time,
        "message": gettext(
            "Réponse déposée par le destinataire : %(file)s, déposé dans le coffre-fort du "
            "commissaire de justice"
        )
        % {"file": stored.name},
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
    sealed: Path,
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
                stored = deposit_file(
                    bailiff_vault(signification),
                    return_name(signification),
                    sealed,
                    depositor=actor,
                    deposited_at=at,
                    folder=evidence_folder(signification, at),
                    kind=StoredFile.Kind.ACT_RETURN,
                    signification_id=signification.pk,
                )
                act_return = ActReturn.objects.create(
                    signification=signification,
                    created_at=at,
                    author_fingerprint=actor,
                    name=stored.name,
                    deadline=status.deadline,
                    on_time=not status.late,
                    uploaded_name=upload.name if upload else "",
                    uploaded_sha256=upload.sha256 if upload else "",
                    stored_file=stored,
                )
        except (IntegrityError, VaultConflict) as raced:
            # A concurrent submission committed first.
            raise _already_answered(existing_return(signification)) from raced
        if declaration is not None:
            _store_declaration(act_return, declaration)
        # The notice before the journal: the journal's lock is taken last by every writer.
        notify(signification, Category.ACT_RETURN, at=at)
        journal.append(
            journal.Action.ACT_RETURN_DEPOSITED,
            actor=actor,
            signification_id=signification.pk,
            data=_journal_data(stored, act_return, declaration, upload),
        )
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
    base = Path(settings.SECURACT_WORK_DIR) / str(signification.pk)
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base, prefix=".retour.") as folder:
        work = Path(folder)
        upload = _accepted_pdf(pdf, work) if pdf is not None else None
        if declaration is not None:
            composed = _composed(signification, status, declaration, upload, at, work)
        elif upload is not None:
            composed = upload.path  # its PDF alone, as it sent it
        else:
            raise ReturnRefused(
                gettext(
                    "Joignez votre réponse au format PDF ou remplissez la déclaration des comptes."
                )
            )
        sealed = work / "sealed.pdf"
        _seal(composed, sealed, signification.pk)
        # The journal message is a legal record: in French, whatever the request's language.
        with translation.override(LEGAL_LANGUAGE):
            act_return = _record(
                signification,
                sealed,
                status=status,
                actor=actor,
                at=at,
                declaration=declaration,
                upload=upload,
            )
    logger.info("signification %s: act return %s deposited", signification.pk, act_return.name)
    return act_return


# --- the bailiff's mainlevée -------------------------------------------------------------------


def _practice_signification(bailiff: Bailiff, pk: int) -> Signification:
    signification = (
        Signification.objects.select_related("nature")
        .filter(pk=pk, practice_id=bailiff.practice_id)
        .first()
    )
    if signification is None:
        raise ReleaseRefused(gettext("Signification introuvable."))
    return signification


def _check_release(release: Signification, seizure: Signification) -> None:
    if release.nature.code not in MAINLEVEE_CODES:
        raise ReleaseRefused(
            gettext("La signification %(reference)s n'est pas une mainlevée.")
            % {"reference": release.reference}
        )
    if not seizure.nature.expects_return or seizure.sent_at is None:
        raise ReleaseRefused(
            gettext(
                "La signification %(reference)s n'est pas une saisie signifiée qui attend "
                "une réponse."
            )
            % {"reference": seizure.reference}
        )
    if release.recipient_id != seizure.recipient_id:
        raise ReleaseRefused(
            gettext("La mainlevée et la saisie doivent être signifiées au même destinataire.")
        )
    if release.sent_at is not None and release.sent_at <= seizure.sent_at:
        raise ReleaseRefused(gettext("La mainlevée doit être signifiée après la saisie."))


def bailiff_release(bailiff: Bailiff, pk: int) -> Signification:
    """The mainlevée ``pk`` that ``bailiff`` served (its author links it), or
    ``ReleaseRefused``: the page answers 404 for anything else."""
    release = (
        Signification.objects.select_related("nature", "recipient")
        .filter(pk=pk, bailiff=bailiff, nature__code__in=MAINLEVEE_CODES)
        .first()
    )
    if release is None:
        raise ReleaseRefused(gettext("Signification introuvable."))
    return release


def released_seizures(release: Signification) -> QuerySet[Signification]:
    """The seizures this mainlevée releases."""
    return (
        Signification.objects.select_related("nature")
        .filter(releases__release=release)
        .order_by("-sent_at", "-pk")
    )


def releasable_seizures(release: Signification, *, limit: int = 200) -> list[Signification]:
    """The seizures a bailiff may link this mainlevée to: its practice's, served on the same
    recipient before it, expecting an answer, not linked yet; newest first."""
    candidates = (
        Signification.objects.select_related("nature")
        .filter(
            practice_id=release.practice_id,
            recipient_id=release.recipient_id,
            nature__expects_return=True,
            sent_at__isnull=False,
        )
        .exclude(releases__release=release)
        .exclude(pk=release.pk)
        .order_by("-sent_at", "-pk")
    )
    if release.sent_at is not None:
        candidates = candidates.filter(sent_at__lt=release.sent_at)
    return list(candidates[:limit])


def record_release(
    release_id: int, seizure_id: int, *, bailiff: Bailiff, actor: str, at: datetime
) -> SeizureRelease:
    """Link the mainlevée ``release_id`` to the seizure ``seizure_id`` it releases, both of
    ``bailiff``'s practice (idempotent). Journaled on the seizure. Raises
    ``ReleaseRefused`` (French) when they do not go together."""
    release = _practice_signification(bailiff, release_id)
    seizure = _practice_signification(bailiff, seizure_id)
    _check_release(release, seizure)
    with transaction.atomic(), translation.override(LEGAL_LANGUAGE):
        link, created = SeizureRelease.objects.get_or_create(
            release=release,
            seizure=seizure,
            defaults={"recorded_at": at, "actor_fingerprint": actor},
        )
        if created:
            journal.append(
                journal.Action.RELEASE_RECORDED,
                actor=actor,
                signification_id=seizure.pk,
                data={
                    "release": release.pk,
                    "reference": release.reference,
                    "message": gettext(
                        "Mainlevée %(reference)s rattachée à cette saisie : une fois signifiée, "
                        "le destinataire n'a plus à répondre"
                    )
                    % {"reference": release.reference},
                },
            )
    return link
