"""One checkpoint publisher at a time among the workers (docs/evidence-log.md §2).

PostgreSQL: a session advisory lock held while a checkpoint is built, signed and timestamped
(no transaction is open meanwhile: the TSA's round trip holds no row), tried by the workers'
periodic publisher (a worker that finds it taken does nothing), waited for by a publication
on demand. A process that dies releases it with its connection. SQLite (one machine, writes
serialised): nothing is taken here; two publishers of the same size cannot both store it
(``tree_size`` is unique and the store re-reads the latest checkpoint in its write
transaction), the late one's work is dropped.

:func:`serialise_store` takes the transaction-level lock under which a checkpoint is stored,
so that two stores never pick the same previous checkpoint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connection

# Advisory lock keys (any bigint; these spell "SECURACT" checkpoint publish / store).
_PUBLISH_KEY = 0x5EC0_AC7C_0001
_STORE_KEY = 0x5EC0_AC7C_0002


@contextlib.contextmanager
def publishing(*, wait: bool) -> Iterator[bool]:
    """Hold the publisher's lock for the block; yields False when another holds it and
    ``wait`` is false (the block should then do nothing)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_PUBLISH_KEY])
            held = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_PUBLISH_KEY])
            held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            _unlock()


def _unlock() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_PUBLISH_KEY])
    except DatabaseError:
        # The caller's transaction failed meanwhile: the lock belongs to the session, so the
        # session ends (its next query opens another), and the lock with it.
        connection.close()


def serialise_store() -> None:
    """Inside the storing transaction: wait for any other store to commit first (SQLite:
    the IMMEDIATE transaction's write lock already does)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_STORE_KEY])
