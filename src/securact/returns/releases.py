"""The bailiff's mainlevée (the rule: ``returns.services`` module docstring): link a served
mainlevée to the seizures it releases, same practice, same recipient, served after the
seizure."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext

from securact.directory.models import Bailiff
from securact.evidence import journal
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.returns.errors import ReleaseRefused
from securact.returns.models import (
    SeizureRelease,
)
from securact.returns.status import MAINLEVEE_CODES
from securact.significations.models import Signification

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
