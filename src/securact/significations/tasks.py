"""Tasks take ids, never model instances; the engine does the rest."""

from __future__ import annotations

from django_tasks import task

from securact.significations import process


@task()
def run_step(signification_id: int, step_name: str) -> None:
    process.load_handlers()
    process.execute(signification_id, step_name)
