"""What a batch and each of its items have become, read from the items and their
significations (nothing of it is stored twice).

An item's state: *received* (not yet processed), *refused* (with its French message and
field), or, once its signification exists, that signification's progress: *in_progress*,
*awaiting_signature* (its sign step waits for signature values), *done* (every step done),
*failed* (a step failed; the bailiff's pages say which and offer *Relancer*).

The batch's state: *received* while no item is processed, *in_progress* while an item is
not processed or its signification not finished, then *done*, or *done_with_errors* when
an item was refused or its signification failed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from securact.directory.models import Practice
from securact.edi.models import Batch, BatchItem
from securact.significations.models import Signification, Step


class ItemState:
    RECEIVED = "received"
    REFUSED = "refused"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGNATURE = "awaiting_signature"
    DONE = "done"
    FAILED = "failed"

    LABELS = {
        RECEIVED: _("reçue"),
        REFUSED: _("refusée"),
        IN_PROGRESS: _("en cours"),
        AWAITING_SIGNATURE: _("en attente de signature"),
        DONE: _("terminée"),
        FAILED: _("en échec"),
    }


class BatchState:
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_WITH_ERRORS = "done_with_errors"

    LABELS = {
        RECEIVED: _("reçu"),
        IN_PROGRESS: _("en cours"),
        DONE: _("terminé"),
        DONE_WITH_ERRORS: _("terminé avec des erreurs"),
    }


@dataclass(frozen=True)
class ItemStatus:
    position: int
    reference: str
    state: str
    signification_id: int | None = None
    refusal_message: str = ""
    refusal_field: str = ""
    signing_error: str = ""


@dataclass(frozen=True)
class BatchStatus:
    batch: Batch
    state: str
    items: list[ItemStatus]
    counts: dict[str, int] = field(default_factory=dict)


def signature_awaited(signification_ids: list[int]) -> set[int]:
    """Those of the significations whose sign step is not over (waiting for signature
    values, or before them: pending, running)."""
    if not signification_ids:
        return set()
    return set(
        Step.objects.filter(
            signification_id__in=signification_ids,
            name=Step.Name.SIGN,
            state__in=[Step.State.PENDING, Step.State.RUNNING, Step.State.WAITING],
        ).values_list("signification_id", flat=True)
    )


def _awaiting_values(signification_ids: list[int]) -> set[int]:
    """Significations whose sign step waits for signature values (a round prepared, not
    yet signed): the practice (or the bailiff's PIN) has to act."""
    return set(
        Step.objects.filter(
            signification_id__in=signification_ids, name=Step.Name.SIGN, state=Step.State.WAITING
        ).values_list("signification_id", flat=True)
    )


def _item_state(item: BatchItem, waiting: set[int]) -> str:
    if item.state in (BatchItem.State.RECEIVED, BatchItem.State.PROCESSING):
        return ItemState.RECEIVED
    if item.state == BatchItem.State.REFUSED or item.signification is None:
        return ItemState.REFUSED
    state = item.signification.state
    if state == Signification.State.DONE:
        return ItemState.DONE
    if state == Signification.State.FAILED:
        return ItemState.FAILED
    return (
        ItemState.AWAITING_SIGNATURE if item.signification_id in waiting else ItemState.IN_PROGRESS
    )


def _batch_state(counts: Counter[str], total: int) -> str:
    if counts[ItemState.RECEIVED] == total:
        return BatchState.RECEIVED
    if (
        counts[ItemState.RECEIVED]
        or counts[ItemState.IN_PROGRESS]
        or counts[ItemState.AWAITING_SIGNATURE]
    ):
        return BatchState.IN_PROGRESS
    if counts[ItemState.REFUSED] or counts[ItemState.FAILED]:
        return BatchState.DONE_WITH_ERRORS
    return BatchState.DONE


def batch_status(batch: Batch) -> BatchStatus:
    items = list(
        batch.items.select_related("signification")
        .only(
            "position",
            "reference",
            "state",
            "signification__state",
            "refusal_message",
            "refusal_field",
            "signing_error",
        )
        .order_by("position")
    )
    ids = [item.signification_id for item in items if item.signification_id is not None]
    waiting = _awaiting_values(ids) if ids else set()
    statuses = [
        ItemStatus(
            position=item.position,
            reference=item.reference,
            state=_item_state(item, waiting),
            signification_id=item.signification_id,
            refusal_message=item.refusal_message,
            refusal_field=item.refusal_field,
            signing_error=item.signing_error,
        )
        for item in items
    ]
    counts = Counter(status.state for status in statuses)
    return BatchStatus(
        batch=batch,
        state=_batch_state(counts, len(statuses)),
        items=statuses,
        counts={"total": len(statuses), **{state: counts[state] for state in ItemState.LABELS}},
    )


def practice_batches(practice: Practice) -> QuerySet[Batch]:
    """The practice's batches, newest first (the *EDI* page, the API's list)."""
    return Batch.objects.filter(practice=practice).order_by("-created_at", "-pk")


def find_batch(practice: Practice, client_reference: str) -> Batch | None:
    return Batch.objects.filter(practice=practice, client_reference=client_reference).first()
