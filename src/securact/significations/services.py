"""A signification's recording rules that every entry point shares (the reference's form,
the French refusal, an incoming file) and the waits on its steps. Recording one is
``workflow.recording.create_signification``, called only by the one serve call
(``workflow.serving.serve``)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import IO

from securact.core.errors import Refusal
from securact.significations import process
from securact.significations.models import Signification, Step

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,99}$")


class ServiceRefused(Refusal):
    """A signification that cannot be served; ``field`` names the form field at fault."""


@dataclass(frozen=True)
class IncomingFile:
    stream: IO[bytes]
    name: str


def step_states(signification: Signification) -> dict[str, str]:
    return {
        step.name: step.state for step in signification.steps.exclude(name__in=process.EVENT_STEPS)
    }


def is_finished(signification_id: int) -> bool:
    states = set(
        Step.objects.filter(signification_id=signification_id)
        .exclude(name__in=process.EVENT_STEPS)
        .values_list("state", flat=True)
    )
    return states == {Step.State.DONE} or Step.State.FAILED in states


def wait_until_finished(signification_id: int, timeout: float, poll: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_finished(signification_id):
            return True
        time.sleep(poll)
    return False
