"""Inclusion and consistency proofs and roots read from the database's tiles equal the RFC
9162 definitions computed from all the leaves (the verifier distribution's reference
builders) and verify with implementations we did not write (sigstore-python for inclusion,
the verifier's checks for both), for every tree size up to 300 and around the tile
boundaries (256 and 65 536 leaves), including trees smaller than the current one."""

from __future__ import annotations

import random

import pytest

from securact.evidence import journal, tree
from securact.evidence.models import JournalLeaf
from securact_verifier.merkle import (
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    root_from_leaf_hashes,
)
from tests.evidence.outside_checks import check_consistency, check_inclusion
from tests.evidence.seeded_tree import SeededTree, leaf_data

pytestmark = pytest.mark.django_db


def _grown(seeded: SeededTree, until: int, rng: random.Random) -> None:
    """Grow to ``until`` leaves in random steps, half loaded and half integrated."""
    while seeded.size < until:
        step = min(until - seeded.size, rng.choice([1, 1, 2, 5, 17, 100, 255, 256, 257]))
        if rng.random() < 0.5:
            seeded.load(step)
        else:
            seeded.integrate(step)


def _check_inclusion(seeded: SeededTree, index: int, size: int, root: bytes) -> None:
    """Verified from the outside; equal to the reference built from every leaf when that
    is cheap (the reference reads them all)."""
    proof = tree.inclusion_proof(index + 1, size)
    assert (proof.sequence, proof.leaf_index, proof.tree_size) == (index + 1, index, size)
    assert proof.leaf_hash == seeded.hashes[index]
    check_inclusion(leaf_data(index + 1), index, size, proof.hashes, root)
    if size <= 300:
        assert proof.hashes == inclusion_proof_from_leaf_hashes(index, seeded.hashes[:size])


def _check_consistency(seeded: SeededTree, old: int, new: int, roots: dict[int, bytes]) -> None:
    proof = tree.consistency_proof(old, new)
    if old:
        check_consistency(old, new, roots[old], roots[new], proof)
    if new <= 300:
        assert proof == consistency_proof_from_leaf_hashes(old, seeded.hashes[:new])


def _positions(size: int, rng: random.Random) -> set[int]:
    near = {0, 1, 127, 128, 255, 256, 257, size // 2, size - 2, size - 1}
    near |= {65_535, 65_536, 65_537}
    return {n for n in near if 0 <= n < size} | set(rng.sample(range(size), min(size, 2)))


def test_every_size_up_to_300() -> None:
    rng = random.Random(300)
    seeded = SeededTree()
    _grown(seeded, 300, rng)
    assert tree.tree_head().size == 300
    assert tree.tree_head().root_hash == root_from_leaf_hashes(seeded.hashes)

    roots = {size: root_from_leaf_hashes(seeded.hashes[:size]) for size in range(301)}
    for size in range(1, 301):
        assert tree.root_at(size) == roots[size]
        for index in _positions(size, rng):
            _check_inclusion(seeded, index, size, roots[size])
        for old in _positions(size + 1, rng):
            _check_consistency(seeded, old, size, roots)


@pytest.mark.slow
def test_around_the_second_tile_level() -> None:
    rng = random.Random(65_536)
    seeded = SeededTree()
    seeded.load(65_530)
    sizes = []
    for step in (1, 4, 1, 1, 3, 250, 1, 5, 300):  # 65 531 … 65 536 … 66 096
        seeded.integrate(step)
        sizes.append(seeded.size)
    assert 65_536 in sizes and 65_537 in sizes
    head = tree.tree_head()
    assert head.root_hash == root_from_leaf_hashes(seeded.hashes)

    olds = (1, 255, 256, 257, 65_535, 65_536, sizes[0])
    roots = {n: root_from_leaf_hashes(seeded.hashes[:n]) for n in {*sizes, *olds}}
    for size in sizes:
        assert tree.root_at(size) == roots[size]
        for index in _positions(size, rng):
            _check_inclusion(seeded, index, size, roots[size])
        for old in olds:
            if old <= size:
                _check_consistency(seeded, old, size, roots)


def test_a_proof_of_an_entry_not_yet_integrated_integrates_it() -> None:
    entry = journal.append("alert.sent", actor="platform")
    assert tree.leaf_index_of(entry.sequence) is None

    proof = tree.inclusion_proof(entry.sequence)

    assert tree.leaf_index_of(entry.sequence) == proof.leaf_index == 0
    assert proof.tree_size == 1 and proof.hashes == []
    assert proof.leaf_hash == bytes(JournalLeaf.objects.get(sequence=entry.sequence).leaf_hash)


def test_impossible_proofs_are_refused_in_french() -> None:
    seeded = SeededTree()
    seeded.load(10)

    with pytest.raises(tree.ProofUnavailable, match="n'existe pas"):
        tree.inclusion_proof(99)
    with pytest.raises(tree.ProofUnavailable, match="n'est pas dans l'arbre"):
        tree.inclusion_proof(8, 5)
    with pytest.raises(tree.ProofUnavailable, match="impossible"):
        tree.inclusion_proof(1, 11)
    with pytest.raises(tree.ProofUnavailable, match="impossible"):
        tree.consistency_proof(6, 5)
    with pytest.raises(tree.ProofUnavailable, match="impossible"):
        tree.root_at(11)
