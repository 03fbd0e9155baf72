"""RFC 9162 Merkle proofs, checked against implementations and data we did not write:

- the transparency-dev/merkle test vectors (Go, the reference of Trillian, Tessera and the
  C2SP tlog specs), copied as data in `data/transparency-dev-merkle-vectors.json` (its source
  commit and licence are named in the file), and the RFC 6962 leaves and roots of its
  `testonly/constants.go`;
- sigstore-python's RFC 6962 inclusion verification (`sigstore._internal.merkle`, which
  follows Trillian's), run on every proof our reference builder makes for trees of 1 to 70
  leaves, and on altered proofs.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sigstore._internal.merkle import verify_merkle_inclusion
from sigstore.errors import VerificationError

from securact_verifier.merkle import (
    ProofError,
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "transparency-dev-merkle-vectors.json").read_text()
)

# transparency-dev/merkle testonly/constants.go: LeafInputs() and RootHashes() (RFC 6962).
LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in [
        *("", "00", "10", "2021", "3031", "40414243", "5051525354555657"),
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOT_HASHES = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]


# The one vector where we are stricter than transparency-dev/merkle (see its test below).
STRICTER = {"consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"}


def _b(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _hashes(values: list[str] | None) -> list[bytes]:
    return [_b(v) for v in values or []]


def _leaves(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def test_rfc6962_roots_of_the_reference_leaves() -> None:
    for n in range(len(LEAF_INPUTS) + 1):
        assert root_from_leaves(LEAF_INPUTS[:n]) == ROOT_HASHES[n], n
    assert leaf_hash(b"") == ROOT_HASHES[1]
    assert node_hash(leaf_hash(b""), leaf_hash(b"\x00")) == ROOT_HASHES[2]


@pytest.mark.parametrize("probe", VECTORS["inclusion"], ids=lambda p: p["file"])
def test_inclusion_vectors(probe: dict[str, Any]) -> None:
    args = (
        _b(probe["leafHash"]),
        probe["leafIdx"],
        probe["treeSize"],
        _hashes(probe["proof"]),
        _b(probe["root"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("probe", VECTORS["consistency"], ids=lambda p: p["file"])
def test_consistency_vectors(probe: dict[str, Any]) -> None:
    args = (
        probe["size1"],
        probe["size2"],
        _b(probe["root1"]),
        _b(probe["root2"]),
        _hashes(probe["proof"]),
    )
    if probe["file"] in STRICTER:
        # Go compares these equal "roots" without looking at them; we refuse any root that
        # is not a SHA-256 hash (our roots come from checkpoints, always 32 bytes).
        assert not probe["wantErr"] and len(args[2]) != 32
        with pytest.raises(ProofError, match="32-byte"):
            verify_consistency(*args)
    elif probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_our_builders_make_the_reference_happy_path_proofs() -> None:
    """Where a vector's tree is the one of LeafInputs(), our builders give its exact proof."""
    leaf_hashes = [leaf_hash(d) for d in LEAF_INPUTS]
    compared = 0
    for probe in VECTORS["inclusion"]:
        size = probe["treeSize"]
        if probe["wantErr"] or not 0 < size <= 8 or _b(probe["root"]) != ROOT_HASHES[size]:
            continue
        proof = inclusion_proof_from_leaf_hashes(probe["leafIdx"], leaf_hashes[:size])
        assert proof == _hashes(probe["proof"]), probe["file"]
        compared += 1
    for probe in VECTORS["consistency"]:
        size1, size2 = probe["size1"], probe["size2"]
        if probe["wantErr"] or not 0 < size1 < size2 <= 8:
            continue
        if _b(probe["root2"]) != ROOT_HASHES[size2]:
            continue
        proof = consistency_proof_from_leaf_hashes(size1, leaf_hashes[:size2])
        assert proof == _hashes(probe["proof"]), probe["file"]
        compared += 1
    assert compared >= 8


def _sigstore_check(data: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> None:
    """sigstore-python's own inclusion check, on a stand-in for its log entry."""
    inclusion = SimpleNamespace(log_index=index, tree_size=size, hashes=proof, root_hash=root)
    entry = SimpleNamespace(
        _inner=SimpleNamespace(inclusion_proof=inclusion, canonicalized_body=data)
    )
    verify_merkle_inclusion(entry)  # type: ignore[arg-type]


def _alterations(proof: list[bytes]) -> list[list[bytes]]:
    flipped = [
        [*proof[:i], bytes([proof[i][0] ^ 1]) + proof[i][1:], *proof[i + 1 :]]
        for i in range(len(proof))
    ]
    return [*flipped, proof[:-1], [*proof, hashlib.sha256(b"x").digest()], proof[::-1]]


@pytest.mark.parametrize("size", range(1, 71))
def test_inclusion_proofs_verify_with_sigstore_and_ours(size: int) -> None:
    leaves = _leaves(size)
    hashes = [leaf_hash(d) for d in leaves]
    root = root_from_leaf_hashes(hashes)
    assert root == root_from_leaves(leaves)
    bigger_root = root_from_leaves([*leaves, b"one more"])
    for index in range(size):
        proof = inclusion_proof_from_leaf_hashes(index, hashes)
        verify_inclusion(hashes[index], index, size, proof, root)
        _sigstore_check(leaves[index], index, size, proof, root)
        for bad in _alterations(proof):
            if bad == proof:
                continue  # a proof of 0 or 1 hash reversed is itself
            with pytest.raises(ProofError):
                verify_inclusion(hashes[index], index, size, bad, root)
            with pytest.raises(VerificationError):
                _sigstore_check(leaves[index], index, size, bad, root)
        other = (index + 1) % size
        if other != index:
            with pytest.raises(ProofError):
                verify_inclusion(hashes[other], index, size, proof, root)
            with pytest.raises(ProofError):
                verify_inclusion(hashes[index], other, size, proof, root)
        # The root binds the tree: against the root of one more leaf, the proof fails.
        with pytest.raises(ProofError):
            verify_inclusion(hashes[index], index, size + 1, proof, bigger_root)


@pytest.mark.parametrize("new_size", range(1, 71))
def test_consistency_proofs_verify_and_alterations_fail(new_size: int) -> None:
    hashes = [leaf_hash(d) for d in _leaves(new_size)]
    new_root = root_from_leaf_hashes(hashes)
    for old_size in range(new_size + 1):
        old_root = root_from_leaf_hashes(hashes[:old_size])
        proof = consistency_proof_from_leaf_hashes(old_size, hashes)
        verify_consistency(old_size, new_size, old_root, new_root, proof)
        if 0 < old_size < new_size:
            for bad in _alterations(proof):
                if bad == proof:
                    continue
                with pytest.raises(ProofError):
                    verify_consistency(old_size, new_size, old_root, new_root, bad)
            wrong = hashlib.sha256(b"not the root").digest()
            # (when old_size is a power of two, the old root starts the path: the new root
            # computed from it then differs)
            with pytest.raises(ProofError, match=r"gives the (old|new) root"):
                verify_consistency(old_size, new_size, wrong, new_root, proof)
            with pytest.raises(ProofError, match="new root"):
                verify_consistency(old_size, new_size, old_root, wrong, proof)
        if old_size < new_size - 1:
            with pytest.raises(ProofError):
                verify_consistency(old_size + 1, new_size, old_root, new_root, proof)


def test_edge_cases_and_messages() -> None:
    h = leaf_hash(b"a")
    with pytest.raises(ProofError, match="not smaller than the tree size"):
        verify_inclusion(h, 1, 1, [], h)
    with pytest.raises(ProofError, match="32-byte"):
        verify_inclusion(h[:31], 0, 1, [], h)
    with pytest.raises(ProofError, match="larger than the new size"):
        verify_consistency(3, 2, h, h, [])
    with pytest.raises(ProofError, match="empty consistency proof"):
        verify_consistency(1, 2, h, h, [])
    with pytest.raises(ProofError, match="different roots"):
        verify_consistency(2, 2, h, leaf_hash(b"b"), [])
    verify_consistency(0, 5, hashlib.sha256(b"").digest(), h, [])
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(0, 5, h, h, [])
    with pytest.raises(ValueError):
        inclusion_proof_from_leaf_hashes(0, [])
