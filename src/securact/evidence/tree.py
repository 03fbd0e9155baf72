"""The journal's RFC 9162 Merkle tree in the database (docs/evidence-log.md, §1 and §3).

``journal.append`` writes the entry and a :class:`JournalPending` row in the caller's
transaction and takes no platform-wide lock. :func:`integrate` (its own transaction) locks
the :class:`JournalHead` row, takes the pending rows in ``sequence`` order, gives them the
next leaf indices (:class:`JournalLeaf`), extends the tiles (:mod:`securact.evidence.tiles`)
and moves the head. It runs after an appending transaction commits (skipped when another
integration holds the head, or when this process started one less than 0.1 s ago), in
each worker every few seconds (:mod:`securact.evidence.integrator`), and before a proof
needs an entry not yet in the tree.

Integrating and proving read the pending rows and O(log n) tiles, never the journal
(:mod:`securact.evidence.tree_storage` holds the SQL).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from securact.core.errors import Refusal
from securact.evidence import tiles
from securact.evidence import tree_storage as storage
from securact.evidence.models import HEAD_ID, JournalHead, JournalLeaf

logger = logging.getLogger(__name__)

# Pending rows integrated per transaction: bounds the memory and the time the head is held
# (and PostgreSQL sorts a batch within its default work_mem, 4 MB).
BATCH = 50_000
# After a commit, a process integrates at most this often (seconds): see integrate_soon.
COMMIT_INTEGRATION_GAP = 0.1


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


_last_attempt = -COMMIT_INTEGRATION_GAP  # this process's last one after a commit (monotonic)


def integrate_soon() -> None:
    """After an appending transaction committed: integrate now, unless another integration
    holds the head or this process started one less than ``COMMIT_INTEGRATION_GAP`` ago
    (under load each integration then takes many entries, instead of every commit paying
    for one); the next one, or the worker's periodic integration, takes what waits."""
    global _last_attempt
    now = time.monotonic()
    if now - _last_attempt < COMMIT_INTEGRATION_GAP:
        return
    _last_attempt = now
    try:
        integrate(wait=False)
    except Exception:  # the entry is committed and pending: it will be integrated later
        logger.exception("journal integration after commit failed")


def _integrate_batch(batch: int, *, wait: bool) -> int | None:
    with transaction.atomic():
        head = storage.lock_head(wait=wait)
        if head is None:
            return None
        size, _root, edge = head
        hashes = storage.take_pending(batch, size)
        if hashes:
            builder = tiles.TreeBuilder(size, edge)
            written = builder.append_hashes(hashes)
            storage.write_tiles_and_head(written, builder.size, builder.root())
    return len(hashes) // tiles.HASH_SIZE


def load(rows: Iterable[tuple[int, bytes]], *, batch: int = BATCH) -> int:
    """Bulk loading only (the benchmark's seed, tests): these (sequence, leaf hash) become
    the next leaves, in this order, with no pending rows; in the caller's transaction, if
    any. Returns how many."""
    with transaction.atomic():
        head = storage.lock_head(wait=True)
        if head is None:  # cannot be: waiting always gets the row
            raise RuntimeError("the journal's head row could not be locked")
        size, _root, edge = head
        builder = tiles.TreeBuilder(size, edge)
        iterator = iter(rows)
        while chunk := list(islice(iterator, batch)):
            first = builder.size
            written = builder.append([hashed for _sequence, hashed in chunk])
            storage.insert_leaf_rows(
                [(first + n, sequence, hashed) for n, (sequence, hashed) in enumerate(chunk)]
            )
            storage.write_tiles_and_head(written, builder.size, builder.root())
    return builder.size - size


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


def _leaf(sequence: int) -> tuple[int, bytes, int]:
    """The entry's leaf (index, hash) and the tree's size, integrating first if the entry
    is still pending."""
    found = storage.leaf(sequence)
    if found is None:
        integrate()
        found = storage.leaf(sequence)
    if found is None:
        raise ProofUnavailable(
            _("L'entrée n° %(sequence)d n'existe pas dans le journal.") % {"sequence": sequence}
        )
    return found


def _size(tree_size: int | None, head_size: int | None = None) -> int:
    """``tree_size`` (default: the head's), checked against the tree."""
    if head_size is None:
        head_size = current_head().size
    size = head_size if tree_size is None else tree_size
    if not 0 <= size <= head_size:
        raise ProofUnavailable(
            _("Taille d'arbre %(size)d impossible : le journal en compte %(head)d.")
            % {"size": size, "head": head_size}
        )
    return size


def _range_hashes(ranges: list[tiles.Range]) -> list[bytes]:
    tile_set = tiles.TileSet(storage.read_tiles(tiles.tiles_for(ranges)))
    return [tile_set.range_hash(start, end) for start, end in ranges]


def inclusion_proof(sequence: int, tree_size: int | None = None) -> InclusionProof:
    """The entry's RFC 9162 inclusion proof in the tree of ``tree_size`` leaves (default:
    the current tree), from the tiles."""
    index, leaf_hash, head_size = _leaf(sequence)
    size = _size(tree_size, head_size)
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
    _size(new_size)
    if not 0 <= old_size <= new_size:
        raise ProofUnavailable(
            _("Tailles d'arbre %(old)d et %(new)d impossibles.")
            % {"old": old_size, "new": new_size}
        )
    return _range_hashes(tiles.consistency_ranges(old_size, new_size))


def root_at(size: int) -> bytes:
    """The root of the first ``size`` leaves, from the tiles."""
    _size(size)
    if size == 0:
        return tiles.EMPTY_ROOT
    return _range_hashes([(0, size)])[0]
