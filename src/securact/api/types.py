"""Parameter types every part of the API uses, bounded so that no value a client may send
reaches the database out of its range (a 422 naming the field, never a 500)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Path
from pydantic import AfterValidator, StringConstraints

from securact.core.ids import MAX_ID
from securact.core.legal_calendar import PARIS

# Years a time may have once in UTC: beyond, neither Python nor the databases follow.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def in_range(moment: datetime) -> datetime:
    """An aware time within the years the platform stores, in UTC; a time without its
    offset is Paris time (as the pages show them). A ``ValueError`` in French otherwise."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=PARIS)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(
            gettext("Date hors des limites : entre %(first)d et %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    # In UTC: never an overflow within those years, and no offset PostgreSQL refuses
    # (Python takes up to ±24 h, PostgreSQL ±15:59).
    return moment.astimezone(UTC)


def printable(text: str) -> str:
    """Text without control characters (PostgreSQL refuses a NUL in a text; none is wanted
    in a reference, a code or a declaration's text: line breaks and tabs aside)."""
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in text):
        raise ValueError(
            gettext("Ce texte contient des caractères de contrôle (ex. le caractère nul).")
        )
    return text


# Text a client sends: no control character (``printable``).
Text = Annotated[str, AfterValidator(printable)]

# A time parameter: ISO 8601, its offset or Paris time, within the platform's years.
Moment = Annotated[datetime, AfterValidator(in_range)]

# An object's id in a path: a positive integer the database can hold.
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifiant (entier positif).")]

# A page's cursor (``api.pagination``): base64url, as the API gave it. Short and plain ASCII,
# so that an address carrying one always stays far below the servers' request-line limit
# (gunicorn 4 094 bytes, nginx 8 KiB), which answer before the API can.
CURSOR_MAX_LENGTH = 200
Cursor = Annotated[
    str, StringConstraints(max_length=CURSOR_MAX_LENGTH, pattern=r"^[A-Za-z0-9_-]*$")
]
