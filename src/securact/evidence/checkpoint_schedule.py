"""The workers' checkpoint publisher (docs/evidence-log.md §2): a daemon thread in each
``securact worker`` that looks every ``POLL_SECONDS`` whether a checkpoint is due
(:func:`securact.evidence.checkpoints.checkpoint_due`) and publishes it. Among several
workers, on several machines, one publishes at a time (``checkpoint_lock``); the others
find it taken and look again later.

Not a step of the engine: a checkpoint concerns no signification; it is the platform's
periodic housekeeping, like the fixity audit beside it in the worker.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection

from securact.evidence.checkpoints import checkpoint_due, publish_checkpoint

logger = logging.getLogger(__name__)

# How often a worker looks: N new entries are secured within this much time of the N-th.
POLL_SECONDS = 5.0


class CheckpointPublisher(threading.Thread):
    def __init__(self, poll: float) -> None:
        super().__init__(name="checkpoint-publisher", daemon=True)
        self.poll = poll
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.poll):
            try:
                if checkpoint_due():
                    publish_checkpoint()
                    connection.close()  # not kept open between publications
            except Exception:  # TSA down, key missing: logged, tried again at the next look
                logger.exception("journal checkpoint publication failed")
                connection.close()

    def stop(self, timeout: float = 30) -> None:
        """Stop looking; a publication under way is waited for."""
        self._stopped.set()
        if self.is_alive():
            self.join(timeout)


def start_checkpoint_publisher(poll: float = POLL_SECONDS) -> CheckpointPublisher:
    publisher = CheckpointPublisher(poll)
    publisher.start()
    return publisher
