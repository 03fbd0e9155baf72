"""Abandoned drafts expire (issue 9, item 3): a draft folder (acts added to the service form,
never served) untouched for ``SECURACT_DRAFT_TTL_HOURS`` is removed. "Untouched" is the
newest modification time of the folder and of everything in it: adding, removing or
previewing an act, or showing the form with the draft (``drafts.files`` touches the folder),
keeps a draft in use alive.

Each ``securact worker`` runs this at start and then every ``SECURACT_DELIVERY_SWEEP_SECONDS``
in a daemon thread; ``securact expire_drafts`` runs it on demand."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def drafts_root() -> Path:
    return Path(settings.SECURACT_UPLOAD_DIR) / "drafts"


def _last_touched(folder: Path) -> float:
    newest = folder.stat().st_mtime
    for path in folder.rglob("*"):
        try:
            newest = max(newest, path.stat().st_mtime)
        except FileNotFoundError:  # removed meanwhile by its own session
            continue
    return newest


def expire_drafts(now: float | None = None) -> int:
    """Remove the draft folders untouched for longer than the TTL; how many were removed."""
    root = drafts_root()
    if not root.is_dir():
        return 0
    limit = (time.time() if now is None else now) - settings.SECURACT_DRAFT_TTL_HOURS * 3600
    removed = 0
    for folder in root.iterdir():
        try:
            if not folder.is_dir() or _last_touched(folder) >= limit:
                continue
        except FileNotFoundError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        logger.info("abandoned draft removed: %s", folder.name)
        removed += 1
    return removed


class DraftCleaner(threading.Thread):
    def __init__(self, period: float) -> None:
        super().__init__(name="draft-cleaner", daemon=True)
        self.period = period
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.period):
            try:
                expire_drafts()
            except Exception:  # the next period tries again; the worker keeps running
                logger.exception("draft expiry failed")

    def stop(self) -> None:
        self._stopped.set()


def start_draft_cleaner(period: float) -> DraftCleaner:
    cleaner = DraftCleaner(period)
    cleaner.start()
    return cleaner
