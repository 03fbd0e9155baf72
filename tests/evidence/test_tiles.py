"""The tiles (pure functions): every proof and root they give equals the RFC 9162
definition computed from all the leaves, whatever the order the leaves arrived in."""

from __future__ import annotations

import hashlib
import random
from functools import cache

import pytest

from securact.evidence import tiles
from securact_verifier.merkle import (
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    root_from_leaf_hashes,
)

LEAVES = [hashlib.sha256(b"\x00" + str(n).encode()).digest() for n in range(600)]


@cache
def _mth(start: int, end: int) -> bytes:
    """MTH(D[start:end]) memoised, so the reference proofs stay cheap."""
    if end - start == 1:
        return LEAVES[start]
    k = 1 << ((end - start - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _mth(start, start + k) + _mth(start + k, end)).digest()


def _built(size: int, rng: random.Random) -> tuple[tiles.TreeBuilder, dict[tiles.TileKey, bytes]]:
    """A tree of ``size`` leaves made in random batches, each from what was stored."""
    stored: dict[tiles.TileKey, bytes] = {}
    builder = tiles.TreeBuilder()
    while builder.size < size:
        batch = min(size - builder.size, rng.choice([1, 2, 3, 7, 64, 255, 256, 300]))
        builder = tiles.TreeBuilder(
            builder.size, {k: stored[k] for k in tiles.edge_keys(builder.size)}
        )
        stored.update(builder.append(LEAVES[builder.size : builder.size + batch]))
    return builder, stored


def test_the_reference_is_the_rfc_definition() -> None:
    assert _mth(0, 5) == root_from_leaf_hashes(LEAVES[:5])
    assert [
        _mth(a, b) for a, b in tiles.inclusion_ranges(3, 7)
    ] == inclusion_proof_from_leaf_hashes(3, LEAVES[:7])
    assert [
        _mth(a, b) for a, b in tiles.consistency_ranges(3, 7)
    ] == consistency_proof_from_leaf_hashes(3, LEAVES[:7])


def _sample(size: int, rng: random.Random) -> list[int]:
    """Every position of a small tree; the edges, tile boundaries and a few others else."""
    if size <= 40:
        return list(range(size))
    around = {0, 1, size // 2, size - 2, size - 1, 127, 128, 255, 256, 257}
    return sorted({n for n in around if n < size} | set(rng.sample(range(size), 8)))


@pytest.mark.parametrize("size", range(1, 301))
def test_proofs_and_roots_from_tiles_match_the_reference(size: int) -> None:
    rng = random.Random(size)
    builder, stored = _built(size, rng)
    tile_set = tiles.TileSet(stored)

    assert builder.root() == _mth(0, size) == tile_set.range_hash(0, size)
    for index in _sample(size, rng):
        ranges = tiles.inclusion_ranges(index, size)
        assert [tile_set.range_hash(a, b) for a, b in ranges] == [_mth(a, b) for a, b in ranges]
    for old in [*_sample(size, rng), size]:
        ranges = tiles.consistency_ranges(old, size)
        got = [tile_set.range_hash(a, b) for a, b in ranges]
        assert got == [_mth(a, b) for a, b in ranges]
        if old:
            assert tile_set.range_hash(0, old) == _mth(0, old)


@pytest.mark.parametrize("size", range(1, 41))
def test_proof_ranges_are_the_rfc_recursive_definitions(size: int) -> None:
    for index in range(size):
        assert [_mth(a, b) for a, b in tiles.inclusion_ranges(index, size)] == (
            inclusion_proof_from_leaf_hashes(index, LEAVES[:size])
        )
    for old in range(size + 1):
        assert [_mth(a, b) for a, b in tiles.consistency_ranges(old, size)] == (
            consistency_proof_from_leaf_hashes(old, LEAVES[:size])
        )


def test_tiles_have_the_c2sp_layout() -> None:
    _builder, stored = _built(600, random.Random(1))

    assert sorted(stored) == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert stored[(0, 0)] == b"".join(LEAVES[:256])
    assert stored[(0, 2)] == b"".join(LEAVES[512:600])  # partial: 88 leaf hashes
    assert stored[(1, 0)] == _mth(0, 256) + _mth(256, 512)  # the full 256-leaf subtrees


def test_the_fold_is_the_verifiers_node_hash() -> None:
    for count in (1, 2, 4, 128, 256):
        assert tiles.fold(b"".join(LEAVES[:count])) == root_from_leaf_hashes(LEAVES[:count])


def test_edge_complete_says_whether_the_partial_tiles_are_there() -> None:
    _builder, stored = _built(600, random.Random(3))

    assert tiles.edge_complete(600, stored)
    assert tiles.edge_complete(0, {})  # the empty tree has no tile
    assert not tiles.edge_complete(512, {})  # two 256-leaf roots in tile (1, 0)
    assert not tiles.edge_complete(601, stored)  # tile (0, 2) lacks the 601st hash
    assert not tiles.edge_complete(600, {(0, 2): stored[(0, 2)]})  # (1, 0) missing


def test_a_missing_tile_is_refused() -> None:
    _builder, stored = _built(300, random.Random(2))
    del stored[(0, 1)]

    with pytest.raises(tiles.MissingTile):
        tiles.TileSet(stored).range_hash(0, 300)
    with pytest.raises(tiles.MissingTile):
        tiles.TreeBuilder(300, stored)
