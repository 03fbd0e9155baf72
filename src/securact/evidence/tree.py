"""The journal's RFC 9162 Merkle tree in the database (docs/evidence-log.md, §1 and §3).

``journal.append`` writes the entry and a :class:`JournalPending` row in the caller's
transaction and takes no platform-wide lock. :func:`integrate` (its own transaction) locks
the :class:`JournalHead` row, takes the pending rows in ``sequence`` order, gives them the
next leaf indices (:class:`JournalLeaf`), extends the tiles (:mod:`securact.evidence.tiles`)
and moves the head. It runs after each appending transaction commits (skipped when another
integration holds the head), in each worker every few seconds (:mod:`securact.evidence.
integrator`), and before a proof needs an entry not yet in the tree.

Integrating and proving read the pending rows and O(log n) tiles, never the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from securact.core.errors import Refusal
from securact.evidence import tiles
from securact.evidence.models import HEAD_ID, JournalHead, JournalLeaf, JournalTile

logger = logging.getLogger(__name__)

# Pending rows integrated per transaction: bounds the memory and the time the head is held.
BATCH = 100_000
# Up to this many leaves go in with one INSERT; more with COPY (PostgreSQL) or executemany.
_SMALL = 100
_LEAF_TABLE = JournalLeaf._meta.db_table
_TILE_TABLE = JournalTile._meta.db_table
_PENDING_TABLE = "evidence_journalpending"


class ProofUnavailable(Refusal):
    """No proof for what was asked (an unknown entry, a size beyond the tree); French."""


@dataclass(frozen=True)
class TreeHead:
    size: int
    root_hash: bytes


@dataclass(frozen=True)
class InclusionProof:
    sequence: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    hashes: list[bytes]


# --- integration ---------------------------------------------------------------------------


def integrate(*, limit: int | None = None, wait: bool = True) -> int:
    """Give the pending entries their leaves (all of them, or ``limit``); the number
    added. ``wait=False``: do nothing when another integration holds the head."""
    added = 0
    while limit is None or added < limit:
        batch = BATCH if limit is None else min(BATCH, limit - added)
        done = _integrate_batch(batch, wait=wait)
        if done is None:
            break
        added += done
        if done < batch:
            break
    return added


def integrate_soon() -> None:
    """After an appending transaction committed: integrate now if no one else is (the
    worker's periodic integration catches what this skips)."""
    try:
        integrate(wait=False)
    except Exception:  # the entry is committed and pending: it will be integrated later
        logger.exception("journal integration after commit failed")


def _integrate_batch(batch: int, *, wait: bool) -> int | None:
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return None
        rows = _take_pending(batch)
        if rows:
            builder = _builder(head)
            _grow(builder, rows)
            _move_head(builder)
    return len(rows)


def load(rows: Iterable[tuple[int, bytes]], *, batch: int = BATCH) -> int:
    """Bulk loading only (the benchmark's seed, tests): these (sequence, leaf hash) become
    the next leaves, in this order, with no pending rows; in the caller's transaction, if
    any. Returns how many."""
    with transaction.atomic():
        head = _locked_head(wait=True)
        if head is None:  # cannot be: waiting always gets the row
            raise RuntimeError("the journal's head row could not be locked")
        builder = _builder(head)
        start = builder.size
        iterator = iter(rows)
        while chunk := list(islice(iterator, batch)):
            _grow(builder, chunk)
        _move_head(builder)
    return builder.size - start


def _builder(head: JournalHead) -> tiles.TreeBuilder:
    return tiles.TreeBuilder(head.tree_size, read_tiles(tiles.edge_keys(head.tree_size)))


def _grow(builder: tiles.TreeBuilder, rows: Sequence[tuple[int, bytes]]) -> None:
    """The rows become the next leaves; their tiles are written."""
    first = builder.size
    written = builder.append([leaf_hash for _sequence, leaf_hash in rows])
    insert_leaf_rows(
        [(first + offset, sequence, hashed) for offset, (sequence, hashed) in enumerate(rows)]
    )
    write_tiles(written)


def _move_head(builder: tiles.TreeBuilder) -> None:
    JournalHead.objects.filter(pk=HEAD_ID).update(tree_size=builder.size, root_hash=builder.root())


def _locked_head(*, wait: bool) -> JournalHead | None:
    """The head row locked for this transaction; None if another integration holds it and
    ``wait`` is false. (SQLite: the transaction's write lock already serialises.)"""
    skip = not wait and connection.vendor == "postgresql"
    locked = JournalHead.objects.select_for_update(skip_locked=skip).filter(pk=HEAD_ID)
    head = locked.first()
    if head is not None:
        return head
    if skip and JournalHead.objects.filter(pk=HEAD_ID).exists():
        return None
    # No head yet (a database emptied by the test runner): the empty tree.
    JournalHead.objects.bulk_create([JournalHead(pk=HEAD_ID)], ignore_conflicts=True)
    return locked.first()


def _take_pending(batch: int) -> list[tuple[int, bytes]]:
    """Delete and return (sequence, leaf hash) of the ``batch`` lowest pending sequences, in
    order: exactly the rows this integration gives leaves to."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_PENDING_TABLE} WHERE sequence IN "  # noqa: S608 - our table
            f"(SELECT sequence FROM {_PENDING_TABLE} ORDER BY sequence LIMIT %s) "
            "RETURNING sequence, leaf_hash",
            [batch],
        )
        rows = [(int(sequence), bytes(leaf_hash)) for sequence, leaf_hash in cursor.fetchall()]
    rows.sort()
    return rows


def insert_leaf_rows(values: Sequence[tuple[int, int, bytes]]) -> None:
    """Insert (index, sequence, leaf hash) rows as fast as the database takes them."""
    columns = '("index", sequence, leaf_hash)'
    with connection.cursor() as cursor:
        if len(values) <= _SMALL:
            marks = ", ".join(["(%s, %s, %s)"] * len(values))
            flat = [part for row in values for part in row]
            cursor.execute(f"INSERT INTO {_LEAF_TABLE} {columns} VALUES {marks}", flat)  # noqa: S608
        elif connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {_LEAF_TABLE} {columns} FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {_LEAF_TABLE} {columns} VALUES (%s, %s, %s)",  # noqa: S608
                values,
            )


def write_tiles(written: dict[tiles.TileKey, bytes]) -> None:
    """Insert or replace these tiles."""
    if not written:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO {_TILE_TABLE} (level, "index", hashes) VALUES (%s, %s, %s) '  # noqa: S608
            'ON CONFLICT (level, "index") DO UPDATE SET hashes = excluded.hashes',
            [(level, index, blob) for (level, index), blob in sorted(written.items())],
        )


def read_tiles(keys: Iterable[tiles.TileKey]) -> dict[tiles.TileKey, bytes]:
    """The tiles of ``keys`` that exist, in one query."""
    by_level: dict[int, list[int]] = {}
    for level, index in keys:
        by_level.setdefault(level, []).append(index)
    if not by_level:
        return {}
    wanted = Q()
    for level, indices in by_level.items():
        wanted |= Q(level=level, index__in=indices)
    found = JournalTile.objects.filter(wanted).values_list("level", "index", "hashes")
    return {(level, index): bytes(blob) for level, index, blob in found}


# --- the head, leaves and proofs -----------------------------------------------------------


def current_head() -> TreeHead:
    """The head as integrated so far (nothing integrated here)."""
    row = JournalHead.objects.filter(pk=HEAD_ID).values_list("tree_size", "root_hash").first()
    if row is None:
        return TreeHead(0, tiles.EMPTY_ROOT)
    return TreeHead(int(row[0]), bytes(row[1]))


def tree_head() -> TreeHead:
    """The head after integrating what is pending."""
    integrate()
    return current_head()


def leaf_index_of(sequence: int) -> int | None:
    """The entry's leaf index, or None if it is not (yet) in the tree."""
    return JournalLeaf.objects.filter(sequence=sequence).values_list("index", flat=True).first()


def _leaf(sequence: int) -> tuple[int, bytes]:
    """The entry's leaf (index, hash), integrating first if it is still pending."""
    found = JournalLeaf.objects.filter(sequence=sequence).values_list("index", "leaf_hash")
    row = found.first()
    if row is None:
        integrate()
        row = found.first()
    if row is None:
        raise ProofUnavailable(
            _("L'entrée n° %(sequence)d n'existe pas dans le journal.") % {"sequence": sequence}
        )
    return int(row[0]), bytes(row[1])


def _size(tree_size: int | None, at_least: int) -> int:
    """``tree_size`` (default: the head's), checked against the tree and ``at_least``."""
    head = current_head()
    size = head.size if tree_size is None else tree_size
    if not at_least <= size <= head.size:
        raise ProofUnavailable(
            _("Taille d'arbre %(size)d impossible : le journal en compte %(head)d.")
            % {"size": size, "head": head.size}
        )
    return size


def _range_hashes(ranges: list[tiles.Range]) -> list[bytes]:
    tile_set = tiles.TileSet(read_tiles(tiles.tiles_for(ranges)))
    return [tile_set.range_hash(start, end) for start, end in ranges]


def inclusion_proof(sequence: int, tree_size: int | None = None) -> InclusionProof:
    """The entry's RFC 9162 inclusion proof in the tree of ``tree_size`` leaves (default:
    the current tree), from the tiles."""
    index, leaf_hash = _leaf(sequence)
    size = _size(tree_size, 0)
    if size <= index:
        raise ProofUnavailable(
            _("L'entrée n° %(sequence)d n'est pas dans l'arbre de %(size)d feuilles.")
            % {"sequence": sequence, "size": size}
        )
    hashes = _range_hashes(tiles.inclusion_ranges(index, size))
    return InclusionProof(sequence, index, size, leaf_hash, hashes)


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """The RFC 9162 consistency proof from the tree of ``old_size`` leaves to the tree of
    ``new_size`` leaves, from the tiles."""
    _size(new_size, 0)
    if not 0 <= old_size <= new_size:
        raise ProofUnavailable(
            _("Tailles d'arbre %(old)d et %(new)d impossibles.")
            % {"old": old_size, "new": new_size}
        )
    return _range_hashes(tiles.consistency_ranges(old_size, new_size))


def root_at(size: int) -> bytes:
    """The root of the first ``size`` leaves, from the tiles."""
    _size(size, 0)
    if size == 0:
        return tiles.EMPTY_ROOT
    return _range_hashes([(0, size)])[0]
