"""The tree's rows in the database, in as few round trips as each database allows.

PostgreSQL: locking the head also reads its partial right-most tiles (one statement); taking
the pending rows, giving them their leaves and returning their hashes is one statement that
never ships a row to Python and back (the hashes come back as one concatenated value); the
tiles and the head are written by one more. SQLite (writes serialised, no data-modifying
CTE) does the same steps one statement each. Everything runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from django.db import connection

from securact.evidence import tiles
from securact.evidence.models import EMPTY_ROOT, HEAD_ID

_HEAD = "evidence_journalhead"
_PENDING = "evidence_journalpending"
_LEAF = "evidence_journalleaf"
_TILE = "evidence_journaltile"
# Levels of tiles looked at when locking the head: 256^8 leaves is more than any journal.
_LEVELS = 8

Head = tuple[int, bytes, dict[tiles.TileKey, bytes]]  # size, root, partial right-most tiles


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def bound_cursor() -> Any:
    """PostgreSQL: a psycopg cursor binding its parameters on the server (bytes go as
    binary), where Django's client-side binding would escape megabytes of tiles as text.
    Same connection, same transaction."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def lock_head(*, wait: bool) -> Head | None:
    """The head row locked for this transaction, with its partial right-most tiles; None if
    another integration holds it and ``wait`` is false (PostgreSQL; SQLite's write lock,
    taken by the transaction, already serialises integrations)."""
    head = _lock_postgresql(wait) if _postgresql() else _lock_sqlite()
    if head is not None or (not wait and _postgresql() and _head_exists()):
        return head
    # No head yet (a database emptied by the test runner): the empty tree.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_HEAD} (id, tree_size, root_hash) VALUES (%s, 0, %s) "  # noqa: S608
            "ON CONFLICT (id) DO NOTHING",
            [HEAD_ID, EMPTY_ROOT],
        )
    return _lock_postgresql(wait) if _postgresql() else _lock_sqlite()


def _head_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_HEAD} WHERE id = %s", [HEAD_ID])  # noqa: S608
        return cursor.fetchone() is not None


def _lock_postgresql(wait: bool) -> Head | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT h.tree_size, h.root_hash, t.level, t."index", t.hashes
            FROM {_HEAD} h CROSS JOIN generate_series(0, {_LEVELS - 1}) AS l(level)
            LEFT JOIN {_TILE} t ON t.level = l.level
                AND t."index" = h.tree_size >> (8 * (l.level + 1))
                AND (h.tree_size >> (8 * l.level)) & 255 <> 0
            WHERE h.id = %s FOR UPDATE OF h{"" if wait else " SKIP LOCKED"}""",  # noqa: S608
            [HEAD_ID],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    size = int(rows[0][0])
    edge = {(level, index): bytes(blob) for *_, level, index, blob in rows if level is not None}
    if not tiles.edge_complete(size, edge):
        # The head was updated by an integration that committed while this statement waited
        # for (or stepped over) its lock: the head row is the new one, the tiles read with it
        # are from before. Now that the lock is held, a new statement sees the new tiles.
        edge = read_tiles(tiles.edge_keys(size))
    return size, bytes(rows[0][1]), edge


def _lock_sqlite() -> Head | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tree_size, root_hash FROM {_HEAD} WHERE id = %s", [HEAD_ID])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    size = int(row[0])
    return size, bytes(row[1]), read_tiles(tiles.edge_keys(size))


def take_pending(batch: int, first_index: int) -> bytes:
    """Delete the ``batch`` lowest pending sequences, make them the leaves ``first_index``,
    … in sequence order; their hashes, concatenated in that order."""
    if _postgresql():
        with bound_cursor() as cursor:
            # The rows below the batch-th lowest sequence (all if fewer): a range, not a join.
            cursor.execute(
                f"""WITH taken AS (
                    DELETE FROM {_PENDING} WHERE sequence < COALESCE(
                        (SELECT sequence FROM {_PENDING} ORDER BY sequence OFFSET %s LIMIT 1),
                        9223372036854775807
                    )
                    RETURNING sequence, leaf_hash
                ), placed AS (
                    INSERT INTO {_LEAF} ("index", sequence, leaf_hash)
                    SELECT %s - 1 + row_number() OVER (ORDER BY sequence), sequence, leaf_hash
                    FROM taken RETURNING "index", leaf_hash
                )
                SELECT string_agg(leaf_hash, ''::bytea ORDER BY "index") FROM placed""",  # noqa: S608
                [batch, first_index],
            )
            row = cursor.fetchone()
        return bytes(row[0]) if row and row[0] is not None else b""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_PENDING} WHERE sequence IN "  # noqa: S608
            f"(SELECT sequence FROM {_PENDING} ORDER BY sequence LIMIT %s) "
            "RETURNING sequence, leaf_hash",
            [batch],
        )
        taken = sorted((int(sequence), bytes(hashed)) for sequence, hashed in cursor.fetchall())
    insert_leaf_rows(
        [(first_index + n, sequence, hashed) for n, (sequence, hashed) in enumerate(taken)]
    )
    return b"".join(hashed for _sequence, hashed in taken)


def insert_leaf_rows(values: Sequence[tuple[int, int, bytes]]) -> None:
    """Insert (index, sequence, leaf hash) rows as fast as the database takes them."""
    if not values:
        return
    columns = '("index", sequence, leaf_hash)'
    with connection.cursor() as cursor:
        if _postgresql():
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {_LEAF} {columns} FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {_LEAF} {columns} VALUES (%s, %s, %s)",  # noqa: S608
                values,
            )


def write_tiles_and_head(written: dict[tiles.TileKey, bytes], size: int, root: bytes) -> None:
    """Insert or replace these tiles and move the head, in one statement on PostgreSQL."""
    keys = sorted(written)
    upsert = (
        f'INSERT INTO {_TILE} (level, "index", hashes) {{values}} '
        'ON CONFLICT (level, "index") DO UPDATE SET hashes = excluded.hashes'
    )
    move = f"UPDATE {_HEAD} SET tree_size = %s, root_hash = %s WHERE id = %s"  # noqa: S608
    if _postgresql() and keys:
        with bound_cursor() as cursor:
            values = "SELECT * FROM unnest(%s::smallint[], %s::bigint[], %s::bytea[])"
            cursor.execute(
                f"WITH tiles AS ({upsert.format(values=values)}) {move}",
                [
                    [level for level, _index in keys],
                    [index for _level, index in keys],
                    [written[key] for key in keys],
                    size,
                    root,
                    HEAD_ID,
                ],
            )
        return
    with connection.cursor() as cursor:
        if keys:
            cursor.executemany(
                upsert.format(values="VALUES (%s, %s, %s)"),
                [(level, index, written[(level, index)]) for level, index in keys],
            )
        cursor.execute(move, [size, root, HEAD_ID])


def read_tiles(keys: Iterable[tiles.TileKey]) -> dict[tiles.TileKey, bytes]:
    """The tiles of ``keys`` that exist, in one query."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    pairs = ", ".join(["(%s, %s)"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT level, "index", hashes FROM {_TILE} '  # noqa: S608
            f'WHERE (level, "index") IN ({pairs})',
            [part for key in wanted for part in key],
        )
        return {(int(level), int(index)): bytes(blob) for level, index, blob in cursor.fetchall()}


def leaf(sequence: int) -> tuple[int, bytes, int] | None:
    """The entry's leaf (index, hash) and the current tree size, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT l."index", l.leaf_hash, h.tree_size FROM {_LEAF} l '  # noqa: S608
            f"LEFT JOIN {_HEAD} h ON h.id = %s WHERE l.sequence = %s",
            [HEAD_ID, sequence],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), bytes(row[1]), int(row[2] or 0)
