"""Check the whole evidence journal against its Merkle tree (``securact check_journal``).

:func:`check_tree` reads every entry, recomputes its canonical bytes and leaf hash, and
compares them with the entry's own hash and with its leaf (or its pending row when it is not
integrated yet); the chained entries written before issue 12 (format 1) must also still form
their gap-free hash chain. Then it reads every leaf in index order: no index may be missing,
the tiles must hold exactly these hashes, and the root recomputed from the leaves must be
the head's. Every problem names the entry when there is one, in French.

The report's ``problems`` list is what other checks extend (the signed checkpoints).
Entries appended while the check runs are no problem: what looks missing is looked at again
at the end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

from securact.evidence import canonical, tiles
from securact.evidence.models import JournalEntry, JournalLeaf, JournalPending, JournalTile
from securact.evidence.tree import TreeHead, current_head
from securact_verifier.merkle import leaf_hash

_CHUNK = 2000
_LEAF_BATCH = 64 * tiles.WIDTH


@dataclass(frozen=True)
class JournalProblem:
    """What is wrong, and where, in French for the operator and the expert. ``sequence``
    names the entry concerned, or is None (a tile, the head)."""

    sequence: int | None
    # "hash" (entry changed) | "link" | "sequence" (format 1 chain) | "leaf" (entry not in
    # the tree) | "missing" (leaf without its entry) | "index" (leaf gap) | "tile" | "root"
    kind: str
    message: str


@dataclass
class JournalReport:
    entries: int
    tree_size: int
    root_hash: bytes
    problems: list[JournalProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


class _Problems(list[JournalProblem]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self) >= self.limit

    def add(self, sequence: int | None, kind: str, message: str) -> None:
        if not self.full:
            self.append(JournalProblem(sequence, kind, message))


def check_tree(*, max_problems: int = 100) -> JournalReport:
    """Check every entry, leaf and tile (see the module docstring)."""
    head = current_head()  # before the scans: later leaves are no concern
    problems = _Problems(max_problems)
    scan = _EntryScan(problems)
    count = scan.run()
    if not problems.full:
        _LeafScan(head, problems).run()
    if not problems.full:
        scan.look_again()
    report = JournalReport(count, head.size, head.root_hash)
    report.problems.extend(problems)
    return report


def _modified(sequence: int) -> str:
    return _(
        "Entrée n° %(seq)d : son contenu ne correspond plus à son empreinte (entrée modifiée)."
    ) % {"seq": sequence}


class _EntryScan:
    """Entries (by sequence) against the leaves (by sequence) and the pending rows."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.pending = {s: bytes(h) for s, h in JournalPending.objects.values_list()}
        self.unplaced: list[int] = []  # entries with neither leaf nor pending row
        self.orphans: dict[int, int] = {}  # leaves whose entry was not seen: sequence → index
        self.expected, self.previous = 1, canonical.GENESIS_HASH  # the format 1 chain

    def run(self) -> int:
        leaves = (
            JournalLeaf.objects.order_by("sequence")
            .values_list("sequence", "index", "leaf_hash")
            .iterator(chunk_size=_CHUNK)
        )
        leaf = next(leaves, None)
        count = 0
        for entry in JournalEntry.objects.order_by("sequence").iterator(chunk_size=_CHUNK):
            while leaf is not None and leaf[0] < entry.sequence:
                self.orphans[leaf[0]] = leaf[1]
                leaf = next(leaves, None)
            placed = None
            if leaf is not None and leaf[0] == entry.sequence:
                placed, leaf = bytes(leaf[2]), next(leaves, None)
            self._entry(entry, placed)
            count += 1
            if self.problems.full:
                return count
        while leaf is not None and len(self.orphans) < self.problems.limit:
            self.orphans[leaf[0]] = leaf[1]
            leaf = next(leaves, None)
        return count

    def _entry(self, entry: JournalEntry, placed: bytes | None) -> None:
        if entry.format == canonical.CHAINED_FORMAT:
            self._chain(entry)
        try:
            content = entry.canonical_bytes()
        except canonical.NonCanonicalData:  # a value no append() could have written
            content = None
        expected = placed if placed is not None else self.pending.get(entry.sequence)
        changed = content is None or hashlib.sha256(content).hexdigest() != entry.entry_hash
        if changed or (expected is not None and leaf_hash(content or b"") != expected):
            self.problems.add(entry.sequence, "hash", _modified(entry.sequence))
        elif expected is None:
            self.unplaced.append(entry.sequence)

    def _chain(self, entry: JournalEntry) -> None:
        if entry.sequence != self.expected:
            self.problems.add(
                entry.sequence,
                "sequence",
                _("Entrée n° %(expected)d absente : la suivante porte le n° %(found)d.")
                % {"expected": self.expected, "found": entry.sequence},
            )
        if entry.previous_hash != self.previous:
            self.problems.add(
                entry.sequence,
                "link",
                _(
                    "Entrée n° %(seq)d : l'empreinte précédente enregistrée ne correspond "
                    "pas à celle de l'entrée qui la précède."
                )
                % {"seq": entry.sequence},
            )
        self.expected, self.previous = entry.sequence + 1, entry.entry_hash

    def look_again(self) -> None:
        """Entries and leaves that seemed alone may have been appended, or integrated,
        while the scan ran: judge them on what the database holds now."""
        for batch in _chunks(self.unplaced):
            leaves = dict(
                JournalLeaf.objects.filter(sequence__in=batch).values_list("sequence", "leaf_hash")
            )
            pending = dict(JournalPending.objects.filter(sequence__in=batch).values_list())
            for entry in JournalEntry.objects.filter(sequence__in=batch).order_by("sequence"):
                placed = leaves.get(entry.sequence, pending.get(entry.sequence))
                if placed is None:
                    self.problems.add(
                        entry.sequence,
                        "leaf",
                        _(
                            "Entrée n° %(seq)d : absente de l'arbre de Merkle du journal (ni "
                            "feuille, ni en attente d'intégration)."
                        )
                        % {"seq": entry.sequence},
                    )
                elif leaf_hash(entry.canonical_bytes()) != bytes(placed):
                    self.problems.add(entry.sequence, "hash", _modified(entry.sequence))
        for batch in _chunks(sorted(self.orphans)):
            present = set(
                JournalEntry.objects.filter(sequence__in=batch).values_list("sequence", flat=True)
            )
            for sequence in batch:
                if sequence not in present:
                    self.problems.add(
                        sequence,
                        "missing",
                        _(
                            "Entrée n° %(seq)d absente du journal : la feuille n° %(index)d "
                            "de l'arbre la désigne (entrée supprimée)."
                        )
                        % {"seq": sequence, "index": self.orphans[sequence]},
                    )


def _chunks(values: list[int]) -> Iterator[list[int]]:
    iterator = iter(values)
    while batch := list(islice(iterator, _CHUNK)):
        yield batch


class _LeafScan:
    """Leaves (by index, up to the head's size) against the tiles and the head's root."""

    def __init__(self, head: TreeHead, problems: _Problems) -> None:
        self.head = head
        self.problems = problems
        self.builder = tiles.TreeBuilder()
        self.upper: dict[tiles.TileKey, bytes] = {}  # expected tiles of level ≥ 1
        self.stored_tiles: Iterator[tuple[int, Any]] = iter(())  # level 0, by index
        self.next_tile: tuple[int, Any] | None = None

    def run(self) -> None:
        self.stored_tiles = (
            JournalTile.objects.filter(level=0)
            .order_by("index")
            .values_list("index", "hashes")
            .iterator(chunk_size=_CHUNK)
        )
        self.next_tile = next(self.stored_tiles, None)
        leaves = (
            JournalLeaf.objects.filter(index__lt=self.head.size)
            .order_by("index")
            .values_list("index", "sequence", "leaf_hash")
            .iterator(chunk_size=_CHUNK)
        )
        batch: list[tuple[int, int, bytes]] = []
        for index, sequence, hashed in leaves:
            if index != self.builder.size + len(batch):
                self._gap(self.builder.size + len(batch), index)
                return
            batch.append((index, sequence, bytes(hashed)))
            if len(batch) == _LEAF_BATCH:
                self._feed(batch)
                batch = []
            if self.problems.full:
                return
        self._feed(batch)
        if self.builder.size < self.head.size:
            self._gap(self.builder.size, None)
            return
        self._upper_tiles()
        if self.builder.root() != self.head.root_hash:
            self.problems.add(
                None,
                "root",
                _(
                    "La racine de l'arbre recalculée à partir des %(size)d feuilles ne "
                    "correspond pas à la tête du journal."
                )
                % {"size": self.head.size},
            )

    def _gap(self, missing: int, found: int | None) -> None:
        if found is not None and found < missing:
            self.problems.add(
                None, "index", _("Feuille n° %(index)d en double dans l'arbre.") % {"index": found}
            )
            return
        if found is None:
            message = _(
                "L'arbre s'arrête à %(count)d feuilles alors que sa tête en compte %(size)d : "
                "des feuilles finales ont disparu."
            ) % {"count": missing, "size": self.head.size}
        else:
            message = _(
                "Feuille n° %(index)d absente de l'arbre : la suivante porte le n° %(found)d."
            ) % {"index": missing, "found": found}
        self.problems.add(None, "index", message)

    def _feed(self, batch: list[tuple[int, int, bytes]]) -> None:
        if not batch:
            return
        first = batch[0][0]
        written = self.builder.append([hashed for _index, _sequence, hashed in batch])
        for (level, index), blob in sorted(written.items()):
            if level:
                self.upper[(level, index)] = blob
            elif len(blob) == tiles.FULL_TILE or index == (self.head.size - 1) >> tiles.HEIGHT:
                self._compare_leaf_tile(index, blob, batch, first)

    def _compare_leaf_tile(
        self, index: int, expected: bytes, batch: list[tuple[int, int, bytes]], first: int
    ) -> None:
        while self.next_tile is not None and self.next_tile[0] < index:
            self.next_tile = next(self.stored_tiles, None)
        stored = b""
        if self.next_tile is not None and self.next_tile[0] == index:
            stored = bytes(self.next_tile[1])
        if stored[: len(expected)] == expected:
            return
        size = tiles.HASH_SIZE
        position = next(
            (
                p
                for p in range(len(expected) // size)
                if stored[p * size : (p + 1) * size] != expected[p * size : (p + 1) * size]
            ),
            0,
        )
        leaf_index = index * tiles.WIDTH + position
        sequence = batch[leaf_index - first][1] if 0 <= leaf_index - first < len(batch) else None
        self.problems.add(
            sequence,
            "tile",
            _(
                "Feuille n° %(index)d (entrée n° %(seq)s) : son empreinte ne correspond pas "
                "à la tuile de l'arbre qui la contient."
            )
            % {"index": leaf_index, "seq": sequence if sequence is not None else "?"},
        )

    def _upper_tiles(self) -> None:
        keys = list(self.upper)
        stored = dict(
            ((level, index), bytes(blob))
            for level, index, blob in JournalTile.objects.filter(level__gte=1).values_list(
                "level", "index", "hashes"
            )
            if (level, index) in self.upper
        )
        for key in sorted(keys):
            expected = self.upper[key]
            if stored.get(key, b"")[: len(expected)] != expected:
                self.problems.add(
                    None,
                    "tile",
                    _("Tuile %(level)d/%(index)d de l'arbre altérée.")
                    % {"level": key[0], "index": key[1]},
                )
