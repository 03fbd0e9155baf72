"""A journal tree seeded without entries (its leaves and tiles only: what proofs read), grown
by the real integration of pending rows or by bulk loading."""

from __future__ import annotations

from securact.evidence import tree
from securact.evidence.models import JournalPending
from securact_verifier.merkle import leaf_hash


def leaf_data(number: int) -> bytes:
    """The data of the seeded leaf of sequence ``number`` (its 'canonical bytes')."""
    return f'{{"seeded":{number}}}'.encode()


class SeededTree:
    """Leaves numbered 1, 2, 3… (sequence n at leaf index n - 1)."""

    def __init__(self) -> None:
        self.hashes: list[bytes] = []

    @property
    def size(self) -> int:
        return len(self.hashes)

    def _next(self, count: int) -> list[tuple[int, bytes]]:
        rows = [(n, leaf_hash(leaf_data(n))) for n in range(self.size + 1, self.size + count + 1)]
        self.hashes += [hashed for _sequence, hashed in rows]
        return rows

    def load(self, count: int) -> None:
        """Bulk-load ``count`` more leaves."""
        tree.load(self._next(count))

    def integrate(self, count: int) -> None:
        """``count`` more pending rows, then the real integration."""
        JournalPending.objects.bulk_create(
            [JournalPending(sequence=n, leaf_hash=h) for n, h in self._next(count)]
        )
        assert tree.integrate() == count
