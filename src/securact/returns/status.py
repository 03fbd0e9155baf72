"""Reading act returns (F6.4, R.211-4): a return's name, the signification a recipient
may answer, whether it is answered, released by a mainlevée, due or overdue, and the refusals
that follow (already answered, released)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from securact.core.legal_calendar import PARIS
from securact.directory.models import Recipient
from securact.evidence.pdf_layout import long_day, paris_time
from securact.returns.deadlines import AnswerStatus, overdue_before, status_at, status_of
from securact.returns.errors import ReturnNotFound, ReturnRefused
from securact.returns.models import (
    ActReturn,
    SeizureRelease,
)
from securact.significations.models import Signification

MAINLEVEE_CODES = ("mainlevee", "mainlevee-quittance")


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
        raise already_answered(answered)
    released_at = release_served_at(signification, at)
    if released_at is not None:
        raise ReturnRefused(
            gettext(
                "Le commissaire de justice a signifié la mainlevée de cette saisie le "
                "%(at)s : aucune réponse n'est plus attendue."
            )
            % {"at": paris_time(released_at)}
        )


def already_answered(answered: ActReturn | None) -> ReturnRefused:
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
