"""Engine defects found under faults (issue 10, item 8), at the engine level: recovery
enqueues a stalled step once, and the sign step's normal passes cost no attempt."""

from __future__ import annotations

import subprocess

import pytest
from django_tasks_db.models import DBTaskResult

from securact.core import workers
from securact.significations import process
from securact.significations.models import Signification, Step
from securact.significations.process import Outcome, TransientStepError


class Scripted:
    outcomes: list[object] = []

    def run(self, signification: Signification) -> Outcome:
        outcome = Scripted.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome  # type: ignore[return-value]


@pytest.fixture
def scripted(monkeypatch):
    Scripted.outcomes = []
    for name in process.ORDER:
        monkeypatch.setitem(process.HANDLERS, name, Scripted)
    return Scripted


@pytest.fixture
def started(signification, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process.start(signification)
    DBTaskResult.objects.all().delete()
    return signification


def _queued(name: str) -> int:
    return sum(1 for task in DBTaskResult.objects.all() if task.args_kwargs["args"][1] == name)


def _dead_worker() -> str:
    dead = subprocess.Popen(["true"])
    dead.wait()
    return f"{workers.worker_identity().rpartition(':')[0]}:{dead.pid}"


def test_recovery_enqueues_a_stalled_step_once(started, django_capture_on_commit_callbacks):
    Step.objects.filter(signification=started, name="convert").update(
        state=Step.State.RUNNING, claimed_by=_dead_worker()
    )
    with django_capture_on_commit_callbacks(execute=True):
        process.recover_stalled()
    # Once: two tasks would run two retry chains, burning the attempts in half the time.
    assert _queued("convert") == 1


def test_the_sign_steps_normal_passes_cost_no_attempt(
    started, scripted, django_capture_on_commit_callbacks
):
    Step.objects.filter(signification=started, name="convert").update(state=Step.State.DONE)
    # prepare PAdES → waits; finish it, prepare CAdES → waits; then a TSA outage; then done.
    scripted.outcomes = [
        Outcome.WAITING,
        Outcome.WAITING,
        TransientStepError("Le service d'horodatage ne répond pas."),
        Outcome.DONE,
    ]
    sign = Step.objects.filter(signification=started, name="sign")
    for _pass in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            process.execute(started.pk, "sign")
            process.resume(started.pk, "sign")
    step = sign.get()
    assert step.state == Step.State.DONE
    # Two real attempts: the one the outage ended and the one that succeeded.
    assert step.attempts == 2
