"""The EDI's thread in each ``securact worker`` (registered with ``core.worker_jobs``).

Every ``SECURACT_EDI_DISPATCH_SECONDS`` it reads the journal's new entries into the events
feed (``feed.index_all``) and enqueues a delivery for each webhook with new events
(``webhooks.schedule_due``); about once a minute it also removes the expired uploads and the
old delivered attempts. Several workers doing so is harmless: one indexes at a time, and an
endpoint is planned once (compare-and-set on its ``scheduled_at``).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from securact.edi.feed import index_all
from securact.edi.uploads import expire_uploads
from securact.edi.webhooks import prune_attempts, schedule_due

logger = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 60.0


def dispatch_once() -> int:
    """One look: the feed read to its end, the due webhooks enqueued (how many)."""
    index_all()
    return schedule_due()


def housekeeping() -> None:
    expire_uploads()
    prune_attempts()


class Dispatcher(threading.Thread):
    def __init__(self, period: float) -> None:
        super().__init__(name="edi-dispatcher", daemon=True)
        self.period = period
        self._stopped = threading.Event()
        self._last_housekeeping = 0.0

    def run(self) -> None:
        while not self._stopped.wait(self.period):
            try:
                dispatch_once()
                if time.monotonic() - self._last_housekeeping > HOUSEKEEPING_SECONDS:
                    self._last_housekeeping = time.monotonic()
                    housekeeping()
            except Exception:  # the next look tries again; the worker keeps running
                logger.exception("EDI dispatch failed")
            finally:
                connection.close()  # this thread's own connection, not kept idle

    def stop(self) -> None:
        self._stopped.set()


def start_dispatcher() -> Dispatcher | None:
    """Start the thread (``SECURACT_EDI_DISPATCH_SECONDS`` between looks; 0: none)."""
    period = float(settings.SECURACT_EDI_DISPATCH_SECONDS)
    if period <= 0:
        return None
    dispatcher = Dispatcher(period)
    dispatcher.start()
    return dispatcher
