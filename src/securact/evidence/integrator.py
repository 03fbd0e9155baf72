"""The journal's periodic integration inside each ``securact worker`` (issue 12).

An appending transaction integrates its entry once it commits, unless another integration
holds the tree's head at that moment; then the entry waits in ``JournalPending``. A daemon
thread in each worker integrates what waits every ``SECURACT_JOURNAL_INTEGRATE_SECONDS``
(without waiting for the head either: if another integration is running, it takes these
entries too or the next look will). Several workers doing so is harmless: integrations are
serialised by the head's row lock.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection

from securact.evidence.tree import integrate

logger = logging.getLogger(__name__)


class JournalIntegrator(threading.Thread):
    def __init__(self, period: float) -> None:
        super().__init__(name="journal-integrator", daemon=True)
        self.period = period
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.period):
            try:
                added = integrate(wait=False)
                if added:
                    logger.info("journal: %d pending entries integrated", added)
            except Exception:  # the next look tries again; the worker keeps running
                logger.exception("journal integration failed")
            finally:
                connection.close()  # this thread's own connection, not kept idle

    def stop(self) -> None:
        self._stopped.set()


def start_integrator(period: float) -> JournalIntegrator | None:
    """Start the integrator thread (``period`` seconds between looks; 0: none)."""
    if period <= 0:
        return None
    integrator = JournalIntegrator(period)
    integrator.start()
    return integrator
