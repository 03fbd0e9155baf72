"""The API's rate limit, per client certificate (issue 13, item 1).

A fixed window: at most ``SECURACT_API_RATE_LIMIT`` requests by one certificate (its SHA-256
fingerprint) in each window of ``SECURACT_API_RATE_WINDOW_SECONDS``; past it, a French 429
with ``Retry-After`` (the seconds until the next window). 0 or less: no limit.

The counter is a database row per certificate and window (``models.RateWindow``), shared by
every gunicorn process (the cache is per process). Counting is one conditional UPDATE
(``count < limit``) in the common case; the window's first request inserts the row (a
concurrent first insert loses on the unique constraint and counts with an UPDATE instead)
and deletes the certificate's past windows.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from securact.api.models import RateWindow


def _count(fingerprint: str, window: int, limit: int) -> bool:
    """One more request in the window's row, if under the limit; did it count?"""
    return (
        RateWindow.objects.filter(fingerprint=fingerprint, window=window, count__lt=limit).update(
            count=F("count") + 1
        )
        == 1
    )


def hit(fingerprint: str, now: float) -> int | None:
    """Count one request of ``fingerprint`` at ``now`` (Unix seconds): None if it may go on,
    else the seconds to wait (for ``Retry-After``)."""
    limit = int(settings.SECURACT_API_RATE_LIMIT)
    if limit <= 0:
        return None
    length = max(1, int(settings.SECURACT_API_RATE_WINDOW_SECONDS))
    window = int(now) // length * length
    if _count(fingerprint, window, limit):
        return None
    try:
        with transaction.atomic():
            RateWindow.objects.create(fingerprint=fingerprint, window=window, count=1)
    except IntegrityError:
        # The row is there: the limit is reached, or another process opened the window
        # between our UPDATE and INSERT (then count in it).
        if _count(fingerprint, window, limit):
            return None
        return max(1, math.ceil(window + length - now))
    RateWindow.objects.filter(fingerprint=fingerprint, window__lt=window).delete()
    return None
