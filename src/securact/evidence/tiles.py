"""The journal's Merkle tree stored as tiles: pure functions, no Django, no I/O.

Layout (C2SP tlog-tiles, height 8): tile (L, k) holds the hashes, 32 bytes each and
concatenated, of the perfect subtrees of 2^(8L) leaves numbered 256k … 256k + 255 at
*tile level* L (tile level 0: the leaf hashes; tile level 1: the roots of each 256 leaves;
…). Only complete subtrees are stored: the right-most tile of a level holds fewer than 256
hashes and grows as leaves arrive. Every node the RFC 9162 algorithms need — a perfect
subtree (height h, index i) — is folded from at most 128 hashes of one tile (tile level
h // 8), so a proof or an integration reads O(log n) tiles and never the leaves.

Proofs are made of *ranges* [a, b) of leaves whose Merkle Tree Hash (MTH, RFC 9162 §2.1.1)
is one proof hash; the ranges of the RFC's recursive definitions are either a perfect
subtree or a range that ends at the tree's size and starts at a multiple of a power of two
at least its length, whose MTH is the right fold of its decomposition into perfect
subtrees, largest first (:func:`range_hash`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

from securact_verifier.merkle import node_hash

HEIGHT = 8
WIDTH = 1 << HEIGHT  # hashes in a full tile
HASH_SIZE = 32
FULL_TILE = WIDTH * HASH_SIZE
EMPTY_ROOT = hashlib.sha256(b"").digest()

TileKey = tuple[int, int]  # (tile level, tile index)
Range = tuple[int, int]  # [start, end) of leaf indices
Node = tuple[int, int]  # perfect subtree (height, index): leaves index·2^height … +2^height


class MissingTile(LookupError):
    """A tile needed for a node is absent or too short (the tree is not that large)."""


# --- ranges -------------------------------------------------------------------------------


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[Node]:
    """[start, end) as perfect subtrees, left to right, each as large as the alignment of
    its start and the room left allow."""
    nodes: list[Node] = []
    while start < end:
        height = (end - start).bit_length() - 1
        if start:
            height = min(height, (start & -start).bit_length() - 1)
        nodes.append((height, start >> height))
        start += 1 << height
    return nodes


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose MTH make PATH(index, D[size]) (RFC 9162 §2.1.3.1), bottom up."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside a tree of {size} leaves")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The ranges whose MTH make PROOF(old_size, D[new_size]) (RFC 9162 §2.1.4.1): none
    when the old tree is empty or the same tree."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"old size {old_size} outside 0..{new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[Range] = []
    start, end, m, whole_old_tree = 0, new_size, old_size, True
    while end - start != m:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole_old_tree = start + k, m - k, False
    if not whole_old_tree:
        ranges.append((start, end))
    return ranges[::-1]


# --- nodes from tiles ---------------------------------------------------------------------


def tile_span(node: Node) -> tuple[TileKey, int, int]:
    """Where the hashes folded into ``node`` are: the tile, the first position in it and
    how many (a power of two, at most 128, or 1 when the node is itself stored)."""
    height, index = node
    level, rest = divmod(height, HEIGHT)
    first = index << rest  # at tile level ``level``
    return (level, first >> HEIGHT), first & (WIDTH - 1), 1 << rest


def tiles_for(ranges: Iterable[Range]) -> set[TileKey]:
    """The tiles needed to hash these ranges."""
    return {tile_span(node)[0] for a, b in ranges for node in perfect_subtrees(a, b)}


def fold(blob: bytes) -> bytes:
    """MTH of a perfect subtree from its 2^r bottom hashes, concatenated: RFC 9162's node
    hash, SHA-256(0x01 ‖ left ‖ right), applied level by level — written out here rather
    than through ``node_hash`` because building a tree spends most of its time in this loop
    (the tests hold it to ``securact_verifier.merkle``)."""
    sha256 = hashlib.sha256
    while len(blob) > HASH_SIZE:
        blob = b"".join(
            [
                sha256(b"\x01" + blob[i : i + 2 * HASH_SIZE]).digest()
                for i in range(0, len(blob), 2 * HASH_SIZE)
            ]
        )
    return blob


class TileSet:
    """Nodes read from a set of tiles (a mapping of tile key → the tile's bytes)."""

    def __init__(self, tiles: Mapping[TileKey, bytes]) -> None:
        self.tiles = tiles

    def node(self, node: Node) -> bytes:
        key, first, count = tile_span(node)
        blob = self.tiles.get(key)
        if blob is None or len(blob) < (first + count) * HASH_SIZE:
            raise MissingTile(f"tile {key} lacks the hashes of node {node}")
        return fold(blob[first * HASH_SIZE : (first + count) * HASH_SIZE])

    def range_hash(self, start: int, end: int) -> bytes:
        return range_hash(start, end, self.node)


def range_hash(start: int, end: int, node: Callable[[Node], bytes]) -> bytes:
    """MTH(D[start:end]) of an RFC-shaped range: the right fold of its perfect subtrees."""
    if start >= end:
        if start == end == 0:
            return EMPTY_ROOT
        raise ValueError(f"empty range [{start}, {end})")
    hashes = [node(n) for n in perfect_subtrees(start, end)]
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


# --- growing the tree ----------------------------------------------------------------------


def edge_keys(size: int) -> list[TileKey]:
    """The partial right-most tile of each tile level of a tree of ``size`` leaves: what
    appending reads (and, with them, what the root is made of)."""
    keys: list[TileKey] = []
    level, count = 0, size
    while count:
        if count & (WIDTH - 1):
            keys.append((level, count >> HEIGHT))
        level, count = level + 1, count >> HEIGHT
    return keys


def edge_complete(size: int, edge: Mapping[TileKey, bytes]) -> bool:
    """Whether ``edge`` holds every partial right-most tile of a tree of ``size`` leaves,
    each at least as long as that tree needs."""
    level, count = 0, size
    while count:
        partial = count & (WIDTH - 1)
        if partial and len(edge.get((level, count >> HEIGHT), b"")) < partial * HASH_SIZE:
            return False
        level, count = level + 1, count >> HEIGHT
    return True


class TreeBuilder:
    """Appends leaf hashes to a tree of ``size`` leaves whose partial right-most tiles are
    ``edge`` (see :func:`edge_keys`); returns the tiles to write, and knows the root."""

    def __init__(self, size: int = 0, edge: Mapping[TileKey, bytes] | None = None) -> None:
        self.size = size
        self.edge: dict[TileKey, bytes] = {}
        given = edge or {}
        level, count = 0, size
        while count:
            if count & (WIDTH - 1):
                key = (level, count >> HEIGHT)
                blob = given.get(key, b"")
                if len(blob) < (count & (WIDTH - 1)) * HASH_SIZE:
                    raise MissingTile(f"tile {key} is shorter than a tree of {size} leaves")
                self.edge[key] = blob[: (count & (WIDTH - 1)) * HASH_SIZE]
            level, count = level + 1, count >> HEIGHT

    def append(self, leaf_hashes: Sequence[bytes]) -> dict[TileKey, bytes]:
        """Add the leaves; the tiles that changed (new or grown), by key."""
        return self.append_hashes(b"".join(leaf_hashes))

    def append_hashes(self, incoming: bytes) -> dict[TileKey, bytes]:
        """:meth:`append` of the leaf hashes given concatenated."""
        if len(incoming) % HASH_SIZE:
            raise ValueError("leaf hashes are 32 bytes each")
        added = len(incoming) // HASH_SIZE
        written: dict[TileKey, bytes] = {}
        level, count = 0, self.size
        while incoming:
            first_tile, offset = count >> HEIGHT, count & (WIDTH - 1)
            blob = self.edge.pop((level, first_tile), b"") if offset else b""
            blob += incoming
            roots = []
            for position in range(0, len(blob), FULL_TILE):
                tile = blob[position : position + FULL_TILE]
                key = (level, first_tile + position // FULL_TILE)
                written[key] = tile
                if len(tile) == FULL_TILE:
                    roots.append(fold(tile))
                else:
                    self.edge[key] = tile
            incoming = b"".join(roots)
            level, count = level + 1, count >> HEIGHT
        self.size += added
        return written

    def root(self) -> bytes:
        return range_hash(0, self.size, TileSet(self.edge).node)
