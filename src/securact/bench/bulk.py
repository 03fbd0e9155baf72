"""Rows into a table as fast as each database takes them, bypassing the ORM: ``COPY … FROM
STDIN`` on PostgreSQL (psycopg's ``write_row``), ``executemany`` in large batches on SQLite.

Only the benchmark's seeding uses this: it writes rows the services would have written
(see ``seed_pages``), millions of them, where one ``INSERT`` per row would take hours. Values
are plain Python values; datetimes are adapted the way Django stores them on SQLite (naive
UTC text), so the ORM reads and compares them exactly as its own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model

SQLITE_BATCH = 20_000


def table_of(model: type[Model]) -> str:
    return model._meta.db_table


def columns_of(model: type[Model], *names: str) -> list[str]:
    """The database columns of the model's fields ``names`` (``practice`` → ``practice_id``)."""
    columns = []
    for name in names:
        column = getattr(model._meta.get_field(name), "column", None)
        if not column:
            raise ValueError(f"{model.__name__}.{name} has no column")
        columns.append(str(column))
    return columns


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table; returns
    how many. Runs in the caller's transaction, if any."""
    table, columns = table_of(model), columns_of(model, *fields)
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    return _executemany(table, columns, rows)


def _copy(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _executemany(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608 - names from the models
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, SQLITE_BATCH):
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
            count += len(batch)
    return count


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


# --- loading without the indexes -----------------------------------------------------------


@contextmanager
def indexes_dropped(models: Sequence[type[Model]]) -> Iterator[None]:
    """Load ``models``' tables without maintaining their secondary indexes and constraints,
    then build each once, sorted — far faster than millions of random insertions into
    B-trees and GIN indexes, and the usual way to load a large table. The primary keys stay.

    Only for a database being seeded (outside any transaction): if the load fails, the
    indexes are not made again and the database is to be thrown away."""
    restore: list[str] = []
    for model in models:
        restore += _drop_indexes(table_of(model))
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in restore:
            cursor.execute(statement)


def _drop_indexes(table: str) -> list[str]:
    """Drop the table's secondary indexes (and on PostgreSQL its unique and foreign key
    constraints); returns the statements that make them again, in order."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _drop_postgresql(cursor, table)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [sql for _name, sql in found]


def _drop_postgresql(cursor: Any, table: str) -> list[str]:
    quoted = connection.ops.quote_name(table)
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
        [table],
    )
    constraints = cursor.fetchall()  # unique ones first: foreign keys may rely on them
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _definition, _kind in constraints:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        for name, definition, _kind in constraints
    ]
