"""Work that an app above the worker's command adds to every ``securact worker``.

The worker's command (``workflow``) starts its own threads by name; an app of a higher
layer (``edi``: the webhooks' dispatcher) cannot be imported by it, so it registers a
starter here from its ``AppConfig.ready`` — as the steps register with the engine. The
worker starts every registered job once its recovery is done and stops them on its way
out. A starter returns the running job (anything with ``stop()``) or None (disabled).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

logger = logging.getLogger(__name__)


class Job(Protocol):
    def stop(self) -> None: ...


_STARTERS: dict[str, Callable[[], Job | None]] = {}


def register(name: str, starter: Callable[[], Job | None]) -> None:
    """Add (or replace) the job ``name``; registering twice is harmless."""
    _STARTERS[name] = starter


def start_all() -> list[Job]:
    """Start every registered job; one that fails to start is logged, the others run."""
    started = []
    for name, starter in sorted(_STARTERS.items()):
        try:
            job = starter()
        except Exception:
            logger.exception("worker job %s did not start", name)
            continue
        if job is not None:
            started.append(job)
    return started


def stop_all(jobs: list[Job]) -> None:
    for job in jobs:
        job.stop()
