"""The database's own refusal to change the journal: trigger names and the one escape hatch.

The migrations create the triggers on the entries (0001) and on the tree's leaves (0002)
(PostgreSQL: UPDATE and DELETE refused for each row; SQLite: UPDATE refused, DELETE refused
unless ``securact_journal_purge_allowed()`` says so).

Why SQLite's DELETE trigger asks a function: Django's test runner empties every table
after a transactional test with ``DELETE FROM`` on SQLite (``TRUNCATE`` on PostgreSQL,
which row triggers do not see). The function exists only on connections Django opens
(registered below), and answers yes only for the test runner's own throwaway test
database; any other client (``sqlite3`` shell, another program) fails with "no such
function", so the delete is refused there too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("evidence_journalentry", "evidence_journalleaf")
SQLITE_PURGE_FUNCTION = "securact_journal_purge_allowed"
TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": tuple(f"{table}_no_{op}" for table in TABLES for op in ("update", "delete")),
    "postgresql": tuple(f"{table}_append_only" for table in TABLES),
}

_strict: ContextVar[bool] = ContextVar("securact_journal_strict", default=False)


@contextmanager
def strict_journal_guard() -> Iterator[None]:
    """Refuse DELETE even on the test database (for tests of the guard itself)."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


def purge_allowed(settings_dict: dict[str, Any]) -> bool:
    """True only on the test database the test runner created (NAME became TEST NAME)."""
    if _strict.get():
        return False
    test_name = (settings_dict.get("TEST") or {}).get("NAME")
    return bool(test_name) and settings_dict.get("NAME") == test_name


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: give SQLite connections the trigger's function."""
    if connection.vendor != "sqlite":
        return
    settings_dict = connection.settings_dict
    connection.connection.create_function(
        SQLITE_PURGE_FUNCTION, 0, lambda: int(purge_allowed(settings_dict))
    )


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The journal triggers this database should have and does not."""
    expected = TRIGGERS.get(connection.vendor, ())
    if not expected:
        return []
    present: set[str] = set()
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT tgname FROM pg_trigger "
                    "WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                    [table],
                )
            present |= {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
