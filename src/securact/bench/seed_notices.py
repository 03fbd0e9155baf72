"""The dashboard's notices of the page benchmark's significations, as the deposit step and
the delivery decision file them (``dashboard.services``): an *awaiting* notice per deposit,
resolved by the delivery notice (*à personne* or *à domicile*); an act return for some of
the natures that expect one. What the bailiff has not viewed: the last weeks' notices
mostly, and a few older ones left behind (the act returns come with the significations,
``seed_significations``). The counters are rebuilt afterwards
(``services.recount``, the documented step after a bulk load)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from securact.bench.seed_significations import Drawn
from securact.dashboard.models import Category
from securact.dashboard.services import DEFAULT_EVENTS
from securact.delivery.certificate import EVENT_AT_HOME_LETTER
from securact.directory.validators import normalize_name
from securact.significations.models import DeliveryState

RECENT = timedelta(days=45)
RECENT_UNVIEWED = 0.85
OLD_UNVIEWED = 0.02
AWAITING_UNVIEWED = 0.9
# The events the services file (the à domicile one doubles as the letter's reminder).
EVENTS = {**DEFAULT_EVENTS, Category.AT_HOME: EVENT_AT_HOME_LETTER}
_DELIVERED = {
    DeliveryState.IN_PERSON: Category.IN_PERSON,
    DeliveryState.AT_HOME: Category.AT_HOME,
}

NOTICE_FIELDS = (
    "bailiff",
    "signification",
    "category",
    "event",
    "created_at",
    "viewed_at",
    "resolved_at",
    "reference",
    "deposited_at",
    "deposited_file",
    "file_count",
    "recipient_name",
    "search_text",
)


def notice_rows(drawn: list[Drawn], now: datetime, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for item in drawn:
        if item.sent_at is None:
            continue
        names = item.deposited_names()
        common = (item.reference, item.sent_at, names[0], len(names), item.recipient.name)
        if item.delivered_at is None:  # awaiting, maybe already viewed
            viewed = (
                None
                if rng.random() < AWAITING_UNVIEWED
                else min(now, item.sent_at + timedelta(hours=1))
            )
            yield _row(item, Category.AWAITING, item.sent_at, viewed, None, common)
            continue
        # Resolved by the delivery notice: it left the list at the delivery.
        yield _row(
            item, Category.AWAITING, item.sent_at, item.delivered_at, item.delivered_at, common
        )
        category = _DELIVERED[DeliveryState(item.delivery_state)]
        yield _row(
            item, category, item.delivered_at, _viewed(item.delivered_at, now, rng), None, common
        )
        if item.returned_at is not None:
            viewed = _viewed(item.returned_at, now, rng)
            yield _row(item, Category.ACT_RETURN, item.returned_at, viewed, None, common)


@lru_cache(maxsize=20_000)
def _normalized(text: str) -> str:
    return normalize_name(text)


def search_text(reference: str, first_file: str, recipient: str, event: str) -> str:
    """``normalize_name(" ".join([reference, file, recipient, event]))[:800]``, as the
    service writes it: normalising word by word gives the same words (separators collapse
    into one space), so the few recipients' and events' parts are normalised once."""
    parts = [
        normalize_name(f"{reference} {first_file}"),
        _normalized(recipient),
        _normalized(event),
    ]
    return " ".join(part for part in parts if part)[:800]


def _viewed(created: datetime, now: datetime, rng: random.Random) -> datetime | None:
    """When the bailiff viewed a notice filed at ``created``; ``None``: not yet."""
    unviewed = RECENT_UNVIEWED if now - created < RECENT else OLD_UNVIEWED
    if rng.random() < unviewed:
        return None
    return min(now, created + timedelta(hours=rng.uniform(1, 72)))


def _row(
    item: Drawn,
    category: Category,
    created: datetime,
    viewed: datetime | None,
    resolved: datetime | None,
    common: tuple[str, datetime, str, int, str],
) -> tuple[Any, ...]:
    reference, deposited_at, first_file, file_count, recipient = common
    event = EVENTS[category]
    text = search_text(reference, first_file, recipient, event)
    return (
        item.bailiff.id,
        item.id,
        category.value,
        event,
        created,
        viewed,
        resolved,
        reference,
        deposited_at,
        first_file,
        file_count,
        recipient,
        text,
    )
