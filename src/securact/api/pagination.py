"""Pagination by cursor (issue 13, item 1): never an offset on a big table.

A list answers ``{"resultats": […], "suivant": "<curseur>" | null}``; the client asks for the
next page with ``?curseur=<suivant>`` (and the same filters). The cursor is opaque to the
client: the base64url of the last row's sort key (a JSON list, e.g. its time and id), and
the next page is read from the index after that key (keyset), so a page costs the same
whatever its depth and rows added meanwhile are neither skipped nor repeated before it.

Usage in a list endpoint::

    after = decode_cursor(curseur, kinds=(datetime, int))  # None for the first page
    rows = list(queryset.filter(after_key(("sent_at", "pk"), after))[: limit + 1])
    return page(rows, limit, key=lambda row: (row.sent_at, row.pk), item=…)
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from securact.api.errors import ApiRefusal
from securact.api.types import in_range

Row = TypeVar("Row")
CURSOR_FIELD = "curseur"


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> ApiRefusal:
    return ApiRefusal(
        422,
        gettext(
            "Curseur invalide : reprenez la valeur « suivant » de la page précédente, telle quelle."
        ),
        CURSOR_FIELD,
    )


def decode_cursor(raw: str | None, kinds: Sequence[type]) -> tuple[Any, ...] | None:
    """The sort key a cursor holds, each value of the given kind (``datetime``, ``int``,
    ``str``); None without a cursor; a French 422 on ``curseur`` for anything else."""
    if not raw:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise _bad_cursor() from error
    if not isinstance(values, list) or len(values) != len(kinds):
        raise _bad_cursor()
    return tuple(_typed(value, kind) for value, kind in zip(values, kinds, strict=True))


def _typed(value: Any, kind: type) -> Any:
    if kind is datetime and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise _bad_cursor() from error
        if moment.tzinfo is None:
            raise _bad_cursor()
        try:
            return in_range(moment)
        except ValueError as error:
            raise _bad_cursor() from error
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind is int and is_int and 0 <= value < 2**63:
        return value
    if kind is str and isinstance(value, str):
        return value
    raise _bad_cursor()


def after_key(fields: Sequence[str], after: tuple[Any, ...] | None) -> Q:
    """Rows strictly after ``after`` in the ascending order of ``fields`` (keyset)."""
    if after is None:
        return Q()
    condition = Q()
    for position in range(len(fields) - 1, -1, -1):
        equal = Q(**{field: after[i] for i, field in enumerate(fields[:position])})
        condition |= equal & Q(**{f"{fields[position]}__gt": after[position]})
    return condition


def page_size(limit: int | None) -> int:
    if limit is None:
        return int(settings.SECURACT_API_PAGE_SIZE)
    return max(1, min(limit, int(settings.SECURACT_API_MAX_PAGE_SIZE)))


def page(
    rows: list[Row],
    limit: int,
    *,
    key: Callable[[Row], Sequence[Any]],
    item: Callable[[Row], Any],
) -> dict[str, Any]:
    """The answer for ``rows`` read with ``limit + 1``: at most ``limit`` items, and the
    cursor after the last one when there is more."""
    shown = rows[:limit]
    more = len(rows) > limit
    return {
        "resultats": [item(row) for row in shown],
        "suivant": encode_cursor(key(shown[-1])) if more and shown else None,
    }
