"""Live progress of ``securact serve``: what the web progress page shows, as lines.

A thread reads the signification's steps while the command signs and waits, and reports
each step's change of state once (« Conversion des actes au format PDF/A : terminée »),
with its French reason when it fails. It reads through its own database connection and
closes it when it stops.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType

from django.db import connections
from django.utils import timezone

from securact.significations.models import Step
from securact.significations.process import EVENT_STEPS

Report = Callable[[str], None]


class ProgressLines:
    def __init__(self, signification_id: int, report: Report, poll: float = 0.25) -> None:
        self.signification_id = signification_id
        self.report = report
        self.poll = poll
        self.seen: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="serve-progress", daemon=True)

    def __enter__(self) -> ProgressLines:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.read_once()  # the last changes, from the caller's thread

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.read_once()
                self._stop.wait(self.poll)
        finally:
            connections.close_all()

    def read_once(self) -> None:
        steps = Step.objects.filter(signification_id=self.signification_id).exclude(
            name__in=EVENT_STEPS
        )
        for step in steps:
            # Every step starts pending, and goes back to pending when woken (the signing
            # session's wake, a retry) before a worker claims it: not news, nor a change
            # from the last state shown.
            if step.state == Step.State.PENDING or self.seen.get(step.name) == step.state:
                continue
            self.seen[step.name] = step.state
            at = timezone.localtime().strftime("%H:%M:%S")
            line = f"{at} {step.get_name_display()} : {step.get_state_display()}"
            self.report(f"{line} — {step.error}" if step.error else line)
