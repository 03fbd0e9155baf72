"""The delivery's tasks and their scheduling: they take ids and call the services; each is
idempotent, so duplicate, early or late runs are harmless."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django_tasks import task

from securact.core import clock
from securact.delivery import services
from securact.significations.models import DeliveryState


@task()
def decide_delivery(signification_id: int) -> None:
    """Enqueued by the deposit step to run just after the delivery deadline."""
    on_deadline_task(signification_id, now=clock.now())


@task()
def create_delivery_certificate(signification_id: int) -> None:
    """Tasks queued before the certificate became the engine's DELIVERY step: run it."""
    from securact.significations import process
    from securact.significations.models import Step

    process.execute(signification_id, Step.Name.DELIVERY)


def schedule_deadline(signification_id: int, deadline: datetime) -> None:
    """Enqueue the deadline task for just after ``deadline`` (when the current transaction
    commits). Called by the deposit step at every run: duplicates are harmless."""
    run_after = deadline + services.settle()
    transaction.on_commit(
        lambda: decide_delivery.using(run_after=run_after).enqueue(signification_id),
        robust=True,
    )


def on_deadline_task(signification_id: int, *, now: datetime) -> services.Delivery:
    """What the deadline task does: decide; if it ran early (clock skew between machines),
    enqueue itself again for the deadline rather than rely on the sweeper."""
    delivery = services.decide_at_deadline(signification_id, now=now)
    if delivery.state == DeliveryState.AWAITING and now < delivery.deadline:
        schedule_deadline(signification_id, delivery.deadline)
    return delivery
