"""Database ids in URLs and query strings: 1 to 2^63 - 1, or nothing.

A number past what the database holds does not fail the same way on both databases (SQLite:
``OverflowError`` beyond 64 bits; PostgreSQL: ``DataError`` "out of range"), and a lookup
on a foreign key is not protected by Django's own range check. So an id is read here once:
the ``id`` path converter makes any other value not match (the ordinary French 404), and
``parse_id`` turns a query parameter into an id or None.
"""

from __future__ import annotations

import re

from django.urls import register_converter

MAX_ID = 2**63 - 1  # PostgreSQL's bigint, SQLite's integer
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: "²".isdigit() is True, int("²") fails


def parse_id(value: object) -> int | None:
    """``value`` as a database id, or None when it cannot be one."""
    text = str(value) if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """``<id:pk>``: like ``<int:pk>``, limited to the ids the database can hold."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
