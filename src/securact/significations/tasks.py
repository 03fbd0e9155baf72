"""Tasks take ids, never model instances; the engine does the rest."""

from __future__ import annotations

from django_tasks import task

from securact.significations import process


@task()
def run_step(signification_id: int, step_name: str) -> None:
    process.load_handlers()
    process.execute(signification_id, step_name)


@task()
def retry_alert(notification_id: int, attempts: int) -> None:
    """One more try of a deposit alert the alert step left pending (``alerts``)."""
    from securact.significations import alerts

    alerts.retry(notification_id, attempts)
