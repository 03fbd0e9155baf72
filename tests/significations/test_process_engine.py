"""The step engine: compare-and-set claims, retries with backoff, permanent failures and
*Relancer*, waiting for the token, and recovery of steps a dead worker left running."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from securact.significations import process
from securact.significations.models import Signification, Step
from securact.significations.process import Outcome, PermanentStepError, TransientStepError


class Recorder:
    calls: list[int] = []
    outcome: object = Outcome.DONE

    def run(self, signification: Signification) -> Outcome:
        Recorder.calls.append(signification.pk)
        if isinstance(Recorder.outcome, Exception):
            raise Recorder.outcome
        return Recorder.outcome  # type: ignore[return-value]


@pytest.fixture
def recorder(monkeypatch):
    Recorder.calls, Recorder.outcome = [], Outcome.DONE
    for name in process.ORDER:
        monkeypatch.setitem(process.HANDLERS, name, Recorder)
    return Recorder


@pytest.fixture
def started(signification, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process.start(signification)
    return signification


def _step(signification, name=Step.Name.CONVERT) -> Step:
    return Step.objects.get(signification=signification, name=name)


def _queued(name: str) -> int:
    return sum(1 for task in DBTaskResult.objects.all() if task.args_kwargs["args"][1] == name)


def test_start_creates_six_pending_steps_and_enqueues_the_first(started):
    assert [s.name for s in started.steps.all()] == process.ORDER
    assert {s.state for s in started.steps.all()} == {Step.State.PENDING}
    assert _queued("convert") == 1


def test_a_done_step_runs_the_next_at_once_in_the_same_worker_and_none_twice(
    started, recorder, django_capture_on_commit_callbacks
):
    # Issue 10, item 3: no trip through the queue between steps; each step still claimed
    # with the same compare-and-set, once, with its own row and attempt.
    with django_capture_on_commit_callbacks(execute=True):
        process.execute(started.pk, "convert")
        process.execute(started.pk, "convert")  # a duplicate task: nothing to claim
        process.execute(started.pk, "sign")
    assert recorder.calls == [started.pk] * len(process.ORDER)
    assert {(s.state, s.attempts) for s in started.steps.all()} == {(Step.State.DONE, 1)}
    assert [_queued(name) for name in process.ORDER[1:]] == [0] * (len(process.ORDER) - 1)
    assert Signification.objects.get(pk=started.pk).state == Signification.State.DONE


def test_the_run_stops_at_a_waiting_step(started, recorder, monkeypatch):
    class Waiting:
        def run(self, signification: Signification) -> Outcome:
            return Outcome.WAITING

    monkeypatch.setitem(process.HANDLERS, "sign", Waiting)
    process.execute(started.pk, "convert")
    assert [s.state for s in started.steps.order_by("position")][:3] == [
        Step.State.DONE,
        Step.State.WAITING,
        Step.State.PENDING,
    ]
    assert recorder.calls == [started.pk]


def test_a_running_step_cannot_be_claimed_again(started, recorder):
    Step.objects.filter(pk=_step(started).pk).update(state=Step.State.RUNNING)
    process.execute(started.pk, "convert")
    assert recorder.calls == []


def test_transient_error_goes_back_to_pending_then_fails_after_max_attempts(
    started, recorder, django_capture_on_commit_callbacks, settings
):
    recorder.outcome = TransientStepError("Le service d'horodatage ne répond pas.")
    with django_capture_on_commit_callbacks(execute=True):
        process.execute(started.pk, "convert")
    step = _step(started)
    assert (step.state, step.error) == (
        Step.State.PENDING,
        "Le service d'horodatage ne répond pas.",
    )
    soon, later = timezone.now() + timedelta(seconds=1), timezone.now() + timedelta(days=1)
    delayed = [t for t in DBTaskResult.objects.all() if soon < t.run_after < later]
    assert len(delayed) == 1  # the retry, after its backoff (immediate tasks use a max date)
    Step.objects.filter(pk=step.pk).update(attempts=settings.SECURACT_STEP_MAX_ATTEMPTS - 1)
    process.execute(started.pk, "convert")
    assert _step(started).state == Step.State.FAILED
    assert Signification.objects.get(pk=started.pk).state == Signification.State.FAILED


def test_permanent_error_fails_with_the_reason_and_relancer_retries(
    started, recorder, django_capture_on_commit_callbacks
):
    recorder.outcome = PermanentStepError("Le fichier est chiffré.")
    process.execute(started.pk, "convert")
    assert (_step(started).state, _step(started).error) == (
        Step.State.FAILED,
        "Le fichier est chiffré.",
    )
    recorder.outcome = Outcome.DONE
    with django_capture_on_commit_callbacks(execute=True):
        assert process.retry(started.pk, "convert")
    assert _step(started).state == Step.State.PENDING
    assert Signification.objects.get(pk=started.pk).state == Signification.State.IN_PROGRESS
    process.execute(started.pk, "convert")
    assert _step(started).state == Step.State.DONE


def test_waiting_step_resumes_when_woken(started, recorder, django_capture_on_commit_callbacks):
    recorder.outcome = Outcome.WAITING
    process.execute(started.pk, "sign")
    assert _step(started, "sign").state == Step.State.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        assert process.resume(started.pk, "sign")
    assert _step(started, "sign").state == Step.State.PENDING
    assert _queued("sign") == 1


def test_unexpected_crash_fails_with_a_french_message(started, recorder):
    recorder.outcome = ZeroDivisionError("boom")
    process.execute(started.pk, "convert")
    assert _step(started).state == Step.State.FAILED
    assert "Erreur interne" in _step(started).error


def test_steps_left_running_by_a_dead_worker_are_recovered(
    started, django_capture_on_commit_callbacks
):
    dead = subprocess.Popen(["true"])
    dead.wait()
    claimed = f"{process.worker_identity().rpartition(':')[0]}:{dead.pid}"
    Step.objects.filter(pk=_step(started).pk).update(state=Step.State.RUNNING, claimed_by=claimed)
    alive = _step(started, "sign")
    Step.objects.filter(pk=alive.pk).update(
        state=Step.State.RUNNING, claimed_by=process.worker_identity()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert process.recover_stalled() >= 1
    assert _step(started).state == Step.State.PENDING
    assert _step(started, "sign").state == Step.State.RUNNING


def test_a_pending_step_whose_task_was_lost_is_enqueued_again_at_worker_start(
    started, recorder, django_capture_on_commit_callbacks
):
    """A worker killed after taking the task from the queue, before claiming the step."""
    recorder.outcome = Outcome.WAITING
    process.execute(started.pk, "sign")
    with django_capture_on_commit_callbacks(execute=True):
        process.resume(started.pk, "sign")  # enqueues "sign"
    Step.objects.filter(pk=_step(started).pk).update(state=Step.State.DONE)
    DBTaskResult.objects.all().delete()  # the killed worker took the "sign" task with it
    with django_capture_on_commit_callbacks(execute=True):
        process.recover_stalled()
    assert _queued("sign") == 1
    assert _queued("deposit") == 0  # only the current step, not the ones after it


def test_completed_with_warning_keeps_the_warning_and_goes_on(
    started, recorder, django_capture_on_commit_callbacks
):
    recorder.outcome = process.CompletedWithWarning("SMS non remis : numéro invalide.")
    with django_capture_on_commit_callbacks(execute=True):
        process.execute(started.pk, "alert")
    step = _step(started, "alert")
    assert (step.state, step.error) == (Step.State.DONE, "SMS non remis : numéro invalide.")
    assert _step(started, "certificate").state == Step.State.DONE


def test_a_signing_session_wakes_a_step_that_went_waiting_after_its_signatures(
    started, recorder, django_capture_on_commit_callbacks
):
    # The race a full run found: the worker writes what is to be signed, the session signs it
    # and wakes the step while it is still running (a no-op), then the worker marks it
    # waiting — with nothing left to sign, nobody would wake it.
    from securact.significations.models import Act
    from securact.significations.signing_session import run_signing_session

    Act.objects.create(
        signification=started,
        position=1,
        original_name="acte.pdf",
        kind="pdf",
        upload_path="",
        size=1,
        pades_pending={"already": "signed"},
        pades_signature=b"signature",
    )
    recorder.outcome = Outcome.WAITING
    process.execute(started.pk, "sign")
    assert _step(started, "sign").state == Step.State.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        run_signing_session(started.pk, "unused: nothing to sign", timeout=0.5, poll=0.05)
    assert _step(started, "sign").state == Step.State.PENDING
    assert _queued("sign") >= 1


def test_an_event_step_keeps_retrying_past_the_attempt_budget(
    started, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """A delivery certificate or an act return's seal must be made once the timestamp
    authority answers, however long it was down: past the budget an event step keeps being
    retried at the longest backoff, with its reason shown, instead of failing."""
    Recorder.calls, Recorder.outcome = [], TransientStepError("Le service d'horodatage …")
    monkeypatch.setitem(process.HANDLERS, Step.Name.RETURN_SEAL, Recorder)
    with django_capture_on_commit_callbacks(execute=True):
        process.add_event_step(started.pk, Step.Name.RETURN_SEAL)
    step = _step(started, Step.Name.RETURN_SEAL)
    Step.objects.filter(pk=step.pk).update(attempts=settings.SECURACT_STEP_MAX_ATTEMPTS + 3)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        process.execute(started.pk, Step.Name.RETURN_SEAL)
    step = _step(started, Step.Name.RETURN_SEAL)
    assert (step.state, step.error) == (Step.State.PENDING, "Le service d'horodatage …")
    longest = timedelta(seconds=max(settings.SECURACT_STEP_BACKOFF))
    retries = [t for t in DBTaskResult.objects.all() if t.args_kwargs["args"][1] == "return_seal"]
    assert len(retries) == 1
    assert retries[0].run_after >= timezone.now() + longest - timedelta(seconds=5)
    assert Signification.objects.get(pk=started.pk).state != Signification.State.FAILED
