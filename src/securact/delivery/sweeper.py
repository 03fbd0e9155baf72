"""The periodic sweep inside each ``securact worker`` (issue 5, item 8).

A daemon thread calls ``services.sweep`` every ``SECURACT_DELIVERY_SWEEP_SECONDS``: deposits
whose deadline task was lost (a queue emptied by hand, a worker killed while holding it) are
decided within one period of their deadline, at their own deadline. Several workers sweeping
at once is harmless: each decision is one conditional UPDATE.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection

from securact.core import clock
from securact.delivery import services

logger = logging.getLogger(__name__)


class PeriodicSweeper(threading.Thread):
    def __init__(self, period: float) -> None:
        super().__init__(name="delivery-sweeper", daemon=True)
        self.period = period
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.period):
            try:
                services.sweep(now=clock.now())
            except Exception:  # the next period tries again; the worker keeps running
                logger.exception("delivery sweep failed")
            finally:
                connection.close()  # this thread's own connection, not kept idle

    def stop(self) -> None:
        self._stopped.set()


def start_sweeper(period: float) -> PeriodicSweeper:
    sweeper = PeriodicSweeper(period)
    sweeper.start()
    return sweeper
