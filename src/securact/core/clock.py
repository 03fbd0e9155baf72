"""The clock the delivery rules read (F6.3).

Services that decide on time take ``now``/``at`` arguments instead of reading the clock
themselves, so tests drive them to the second without sleeping; production passes
:func:`now`, which is Django's aware UTC time.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current time, aware, in UTC."""
    return timezone.now()
