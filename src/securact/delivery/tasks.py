"""The delivery's tasks: they take ids and call the services; each is idempotent, so
duplicate, early or late runs are harmless."""

from __future__ import annotations

from django_tasks import task

from securact.core import clock
from securact.delivery import services


@task()
def decide_delivery(signification_id: int) -> None:
    """Enqueued by the deposit step to run just after the delivery deadline."""
    services.on_deadline_task(signification_id, now=clock.now())


@task()
def create_delivery_certificate(signification_id: int) -> None:
    """Tasks queued before the certificate became the engine's DELIVERY step: run it."""
    from securact.significations import process
    from securact.significations.models import Step

    process.load_handlers()
    process.execute(signification_id, Step.Name.DELIVERY)
