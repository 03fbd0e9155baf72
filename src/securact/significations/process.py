"""The service process engine (F4, DESIGN.md "The service process").

Each step is a small handler class (``steps.py``) run by the task ``run_step`` with the
signification id and the step name. The engine owns the step's row:

* claim: an atomic compare-and-set ``pending|waiting → running`` (one row updated or none),
  so two workers never run the same step at once, on SQLite or PostgreSQL;
* success: ``running → done``, and in the same transaction the next step is claimed with
  the same compare-and-set and run at once by this worker (issue 10: no trip through the
  queue); if it cannot be claimed, nothing is enqueued (someone else has it);
* ``WAITING``: the sign step waits for the bailiff's token (the PIN is never queued); the
  signing session re-enqueues it once it has signed. Such a pass costs no attempt;
* transient error (TSA, SMTP, converter down): back to ``pending`` and enqueued again after
  a backoff, up to ``MAX_ATTEMPTS``; permanent error: ``failed`` with the French reason;
  ``retry`` puts a failed step back to ``pending``.
* a worker killed mid-step leaves ``running`` behind: ``recover_stalled`` (run when a worker
  starts) puts such steps back to ``pending`` when their worker is gone or their lease ran
  out. Steps are idempotent, so running one again never repeats what was done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from securact.core import wake
from securact.core.errors import Refusal
from securact.core.workers import worker_gone, worker_identity
from securact.evidence.errors import SealTransientError
from securact.significations import work_store
from securact.significations.models import Signification, Step

logger = logging.getLogger(__name__)

ORDER = [
    Step.Name.CONVERT,
    Step.Name.SIGN,
    Step.Name.DEPOSIT,
    Step.Name.ALERT,
    Step.Name.CERTIFICATE,
    Step.Name.ARCHIVE,
]
# Steps created by an event after the six (the delivery decided, an act return to seal), at
# these positions: never
# chained into the six, and their failure does not fail the signification's service.
EVENT_STEPS = {Step.Name.DELIVERY: 101, Step.Name.RETURN_SEAL: 102}


class StepError(Refusal):
    """A step did not complete; ``message`` is the French reason shown on the process page."""


class TransientStepError(StepError):
    """May succeed later (a service down): retried with backoff."""


class PermanentStepError(StepError):
    """Will not succeed by retrying alone: the step fails with this French reason."""


class CompletedWithWarning(StepError):
    """The step is done, but something the bailiff must know went wrong (e.g. an SMS that
    could not be delivered): recorded on the step, the process goes on."""


class Outcome(Enum):
    DONE = "done"
    WAITING = "waiting"


class StepHandler(Protocol):
    def run(self, signification: Signification) -> Outcome: ...


@runtime_checkable
class WaitsForInput(Protocol):
    """A step that returns ``WAITING`` until input arrives from outside (the sign step: the
    signature values). ``input_given`` says whether it all has: asked once the step is
    marked waiting, since input that arrived while the step was still running woke
    nothing (``resume`` only wakes a waiting step)."""

    def input_given(self, signification_id: int) -> bool: ...


HANDLERS: dict[str, Callable[[], StepHandler]] = {}
# The step classes register themselves with ``@handler`` when their modules are imported.
# They live above this engine (``workflow``, ``delivery``, ``returns``), so the engine never
# imports them: the ``workflow`` app imports them all when Django starts (its ``ready``), in
# every process — web, worker, command. A step with no handler is a configuration error.


def handler(name: str) -> Callable[[type], type]:
    def register(cls: type) -> type:
        HANDLERS[name] = cls
        return cls

    return register


def enqueue(signification_id: int, name: str, delay_seconds: float = 0) -> None:
    """Enqueue a step when the current transaction commits (never work without a record)."""

    def _send() -> None:
        task = run_step
        if delay_seconds:
            task = run_step.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
        task.enqueue(signification_id, name)
        if not delay_seconds:
            wake.notify(TASKS_CHANNEL)  # an idle worker takes it now, not at its next poll

    transaction.on_commit(_send)


TASKS_CHANNEL = "tasks"


def channel(signification_id: int) -> str:
    """Notified when a step of this signification changes state (the signing session waits
    on it)."""
    return f"signification-{signification_id}"


def start(signification: Signification) -> None:
    """Create the step rows and schedule the first one (call inside the creating transaction)."""
    Step.objects.bulk_create(
        Step(signification=signification, name=name, position=index)
        for index, name in enumerate(ORDER, start=1)
    )
    enqueue(signification.pk, ORDER[0])


def add_event_step(signification_id: int, name: str) -> None:
    """Create the row of an event step (once), pending; the caller runs or enqueues it."""
    Step.objects.get_or_create(
        signification_id=signification_id,
        name=name,
        defaults={"position": EVENT_STEPS[Step.Name(name)]},
    )


def enqueue_event(signification_id: int, name: str) -> None:
    """Create the row of an event step (once) and enqueue it when the transaction commits."""
    add_event_step(signification_id, name)
    enqueue(signification_id, name)


def _claim(signification_id: int, name: str) -> bool:
    claimed = Step.objects.filter(
        signification_id=signification_id,
        name=name,
        state__in=[Step.State.PENDING, Step.State.WAITING],
    ).update(
        state=Step.State.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        claimed_by=worker_identity(),
        error="",
    )
    return claimed == 1


def _finish(signification_id: int, name: str, state: str, error: str = "") -> bool:
    changed = Step.objects.filter(
        signification_id=signification_id,
        name=name,
        state=Step.State.RUNNING,
        claimed_by=worker_identity(),
    ).update(state=state, error=error, finished_at=timezone.now())
    return changed == 1


def _after_done(signification: Signification, name: str) -> str | None:
    """The next step, claimed for this worker (inside the transaction that marks ``name``
    done), or None. Killed before running it, this worker leaves it ``running`` under its
    identity: ``recover_stalled`` puts it back, as for any step. An event step (delivery
    certificate, act return's seal) is followed by nothing."""
    if name in EVENT_STEPS:
        return None
    position = ORDER.index(Step.Name(name))
    if position + 1 < len(ORDER):
        following = ORDER[position + 1]
        return following if _claim(signification.pk, following) else None
    Signification.objects.filter(pk=signification.pk).update(state=Signification.State.DONE)
    return None


def execute(signification_id: int, name: str) -> None:
    """Run one step if it can be claimed, then each next step as long as the previous one
    is done and the next can be claimed; record what happened to each."""
    if not _claim(signification_id, name):
        logger.info("signification %s: step %s not claimable, skipped", signification_id, name)
        return
    following: str | None = name
    while following is not None:
        following = _run_claimed(signification_id, following)


def _run_claimed(signification_id: int, name: str) -> str | None:
    """Run a step this worker claimed; returns the next step if it claimed that too."""
    signification = Signification.objects.select_related(
        "practice", "bailiff", "recipient", "nature"
    ).get(pk=signification_id)
    logger.info("signification %s: step %s running", signification_id, name)
    step = HANDLERS[name]()
    try:
        with work_store.step_scope():  # what it downloads is kept while it runs, then removed
            outcome = step.run(signification)
    except work_store.MissingWorkFile as missing:
        logger.error(
            "signification %s: step %s: work file %s missing", signification_id, name, missing
        )
        _fail(
            signification_id,
            name,
            gettext(
                "Fichier de travail introuvable ou altéré dans le stockage partagé ; "
                "l'exploitant a été informé."
            ),
        )
        return None
    except (TransientStepError, SealTransientError) as error:
        # SealTransientError: the TSA did not answer, e.g. for a vault deposit's timestamp.
        _transient(signification_id, name, error.message)
        return None
    except CompletedWithWarning as warning:
        return _done(signification, name, warning.message)
    except PermanentStepError as error:
        _fail(signification_id, name, error.message)
        return None
    except Exception:
        logger.exception("signification %s: step %s crashed", signification_id, name)
        _fail(
            signification_id,
            name,
            gettext(
                "Erreur interne lors de cette étape ; l'exploitant a été informé. Relancez l'étape."
            ),
        )
        return None
    logger.info("signification %s: step %s %s", signification_id, name, outcome.value)
    if outcome is Outcome.WAITING:
        _waiting(signification_id, name)
        if isinstance(step, WaitsForInput) and step.input_given(signification_id):
            resume(signification_id, name)
        return None
    return _done(signification, name)


def _waiting(signification_id: int, name: str) -> None:
    """A pass that ends waiting for the token did its normal work (prepare, or finish one
    round then prepare the next): it gives back its attempt, so that only passes ended by a
    fault count against ``SECURACT_STEP_MAX_ATTEMPTS`` — as for every other step."""
    with transaction.atomic():
        Step.objects.filter(
            signification_id=signification_id,
            name=name,
            state=Step.State.RUNNING,
            claimed_by=worker_identity(),
        ).update(state=Step.State.WAITING, attempts=F("attempts") - 1, finished_at=timezone.now())
        wake.notify(channel(signification_id))  # the signing session: there is work to sign


def _done(signification: Signification, name: str, warning: str = "") -> str | None:
    with transaction.atomic():
        if not _finish(signification.pk, name, Step.State.DONE, warning):
            return None
        wake.notify(channel(signification.pk))
        return _after_done(signification, name)


def _transient(signification_id: int, name: str, message: str) -> None:
    step = Step.objects.get(signification_id=signification_id, name=name)
    # An event step (a delivery certificate, an act return's seal) records what already
    # happened and must be made however long the authority is down: past the budget it keeps
    # retrying at the longest backoff, its reason shown, instead of failing.
    if step.attempts >= settings.SECURACT_STEP_MAX_ATTEMPTS and name not in EVENT_STEPS:
        _fail(signification_id, name, message)
        return
    backoff = settings.SECURACT_STEP_BACKOFF or [0.0]
    delay = backoff[min(step.attempts - 1, len(backoff) - 1)]
    with transaction.atomic():
        if _finish(signification_id, name, Step.State.PENDING, message):
            enqueue(signification_id, name, delay)
    logger.warning(
        "signification %s: step %s will retry in %s s: %s", signification_id, name, delay, message
    )


def _fail(signification_id: int, name: str, message: str) -> None:
    with transaction.atomic():
        _finish(signification_id, name, Step.State.FAILED, message)
        if name not in EVENT_STEPS:
            Signification.objects.filter(pk=signification_id).update(
                state=Signification.State.FAILED
            )
        wake.notify(channel(signification_id))
    logger.error("signification %s: step %s failed: %s", signification_id, name, message)


def resume(signification_id: int, name: str) -> bool:
    """Wake a waiting step (the signing session has provided signatures)."""
    with transaction.atomic():
        woken = Step.objects.filter(
            signification_id=signification_id, name=name, state=Step.State.WAITING
        ).update(state=Step.State.PENDING)
        if woken:
            enqueue(signification_id, name)
    return woken == 1


def retry(signification_id: int, name: str) -> bool:
    """*Relancer*: a failed step goes back to pending and is enqueued again."""
    with transaction.atomic():
        again = Step.objects.filter(
            signification_id=signification_id, name=name, state=Step.State.FAILED
        ).update(state=Step.State.PENDING, attempts=0, error="")
        if again and name not in EVENT_STEPS:
            Signification.objects.filter(pk=signification_id).update(
                state=Signification.State.IN_PROGRESS
            )
        if again:
            enqueue(signification_id, name)
    return again == 1


def recover_stalled() -> int:
    """Steps left ``running`` by a dead worker (or past their lease) go back to pending, and
    every signification's current pending step is enqueued again: a worker killed after
    taking a task from the queue but before claiming its step took that task with it.
    Duplicate tasks are harmless (a step is claimed once)."""
    recovered = _recover_running()
    # The recovered steps were enqueued just now: enqueued again, they would run two retry
    # chains at once and burn their attempts in half the time.
    return len(recovered) + _requeue_current_pending(exclude=recovered)


def _requeue_current_pending(exclude: set[int]) -> int:
    requeued = 0
    pending = (
        Step.objects.filter(state=Step.State.PENDING)
        .filter(Q(signification__state=Signification.State.IN_PROGRESS) | Q(name__in=EVENT_STEPS))
        .exclude(pk__in=exclude)
    )
    for step in pending.order_by("signification_id", "position"):
        earlier = Step.objects.filter(
            signification_id=step.signification_id, position__lt=step.position
        )
        if step.name in EVENT_STEPS or not earlier.exclude(state=Step.State.DONE).exists():
            with transaction.atomic():
                enqueue(step.signification_id, step.name)
            requeued += 1
    return requeued


def _recover_running() -> set[int]:
    """Put back to pending (and enqueue) the steps of dead workers; returns their ids."""
    recovered: set[int] = set()
    stale_before = timezone.now() - timedelta(seconds=settings.SECURACT_STEP_LEASE_SECONDS)
    for step in Step.objects.filter(state=Step.State.RUNNING):
        if not (worker_gone(step.claimed_by) or (step.started_at or stale_before) < stale_before):
            continue
        with transaction.atomic():
            if Step.objects.filter(
                pk=step.pk, state=Step.State.RUNNING, claimed_by=step.claimed_by
            ).update(state=Step.State.PENDING):
                enqueue(step.signification_id, step.name)
                recovered.add(step.pk)
    return recovered


@task()
def run_step(signification_id: int, step_name: str) -> None:
    """The engine's one task: it takes ids, never model instances; the engine does the rest."""
    execute(signification_id, step_name)
