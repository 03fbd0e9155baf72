"""RFC 9162 (Certificate Transparency 2.0) Merkle trees: hashes, proofs and their verification.

Pure functions, no I/O, no Django: the service imports them to build proofs, the offline
verifier to check them. Leaf hash = SHA-256(0x00 ‖ data), node hash = SHA-256(0x01 ‖ left ‖
right), the tree of n leaves is the Merkle Tree Hash (MTH) of RFC 9162 §2.1.1. The two
verification functions follow the algorithms of §2.1.3.2 (inclusion) and §2.1.4.2
(consistency) step by step.

The reference builders (`root_from_leaf_hashes`, `inclusion_proof_from_leaf_hashes`,
`consistency_proof_from_leaf_hashes`) are the recursive definitions of §2.1.1, §2.1.3.1 and
§2.1.4.1: they read every leaf and are meant for tests and small trees, not for the journal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "HASH_SIZE",
    "ProofError",
    "consistency_proof_from_leaf_hashes",
    "inclusion_proof_from_leaf_hashes",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
    "root_from_leaves",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
_EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A Merkle proof does not verify (or is malformed); the message says why."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 ‖ d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of the tree whose leaves have these hashes (RFC 9162 §2.1.1); SHA-256("") if empty.

    Iterative (level by level, an odd node is carried up unchanged), which gives the same
    tree as the recursive definition with k = the largest power of two < n.
    """
    if not leaf_hashes:
        return _EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def root_from_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH of the tree of these leaves' *data* (each hashed with `leaf_hash` first)."""
    return root_from_leaf_hashes([leaf_hash(d) for d in leaves])


def inclusion_proof_from_leaf_hashes(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` (reference)."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} outside a tree of {n} leaves")
    return _path(index, leaf_hashes)


def _path(m: int, d: Sequence[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, d[:k]), root_from_leaf_hashes(d[k:])]
    return [*_path(m - k, d[k:]), root_from_leaf_hashes(d[:k])]


def consistency_proof_from_leaf_hashes(m: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 (reference); empty when m == n or m == 0."""
    n = len(leaf_hashes)
    if not 0 <= m <= n:
        raise ValueError(f"old size {m} outside 0..{n}")
    if m in (0, n):
        return []
    return _subproof(m, leaf_hashes, True)


def _subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [root_from_leaf_hashes(d)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, d[:k], b), root_from_leaf_hashes(d[k:])]
    return [*_subproof(m - k, d[k:], False), root_from_leaf_hashes(d[:k])]


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise ProofError(f"{what} is not a {HASH_SIZE}-byte SHA-256 hash")


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that the leaf of hash `leaf_hash` is at `index` in the tree (`size`, `root`).

    RFC 9162 §2.1.3.2, step by step. Returns None, or raises ProofError saying why not.
    """
    _check_hash(leaf_hash, "the leaf hash")
    _check_hash(root, "the root hash")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof hash #{i}")
    # 1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size. If
    #    leaf_index is greater than or equal to tree_size, then fail the proof verification.
    if index < 0 or size < 0:
        raise ProofError(f"negative leaf index ({index}) or tree size ({size})")
    if index >= size:
        raise ProofError(f"leaf index {index} is not smaller than the tree size {size}")
    # 2. Set fn to leaf_index and sn to tree_size - 1.
    fn, sn = index, size - 1
    # 3. Set r to hash.
    r = leaf_hash
    # 4. For each value p in the inclusion_path array:
    for p in proof:
        #  a. If sn is 0, then stop the iteration and fail the proof verification.
        if sn == 0:
            raise ProofError(
                f"the inclusion proof has too many hashes ({len(proof)}) for leaf {index} "
                f"in a tree of {size}"
            )
        #  b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            #  i. Set r to HASH(0x01 || p || r).
            r = node_hash(p, r)
            #  ii. If LSB(fn) is not set, then right-shift both fn and sn equally until
            #      either LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        #  Otherwise: i. Set r to HASH(0x01 || r || p).
        else:
            r = node_hash(r, p)
        #  c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    # 5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the
    #    root_hash are equal, then the log has proven the inclusion of hash. Otherwise, fail.
    if sn != 0:
        raise ProofError(
            f"the inclusion proof has too few hashes ({len(proof)}) for leaf {index} "
            f"in a tree of {size}"
        )
    if r != root:
        raise ProofError(
            f"the inclusion proof of leaf {index} gives the root {r.hex()}, "
            f"not the expected {bytes(root).hex()}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (`old_size`, `old_root`) is a prefix of (`new_size`, `new_root`).

    RFC 9162 §2.1.4.2, step by step, for 0 < old_size < new_size; plus the trivial cases:
    equal sizes need an empty proof and equal roots, and the empty tree (size 0, root
    SHA-256("")) is a prefix of any tree, with an empty proof.
    Returns None, or raises ProofError saying why not.
    """
    _check_hash(old_root, "the old root hash")
    _check_hash(new_root, "the new root hash")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof hash #{i}")
    if _trivially_consistent(old_size, new_size, old_root, new_root, proof):
        return
    span = f"from {old_size} to {new_size}"
    fr, sr, sn = _consistency_walk(old_size, new_size, old_root, proof)
    # 7. After completing iterating through the consistency_path array as described above,
    #    verify that the fr calculated is equal to the first_hash supplied, that the sr
    #    calculated is equal to the second_hash supplied, and that sn is 0.
    if sn != 0:
        raise ProofError(f"the consistency proof {span} has too few hashes ({len(proof)})")
    if fr != old_root:
        raise ProofError(
            f"the consistency proof {span} gives the old root {fr.hex()}, "
            f"not {bytes(old_root).hex()}"
        )
    if sr != new_root:
        raise ProofError(
            f"the consistency proof {span} gives the new root {sr.hex()}, "
            f"not {bytes(new_root).hex()}"
        )


def _trivially_consistent(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """The cases outside §2.1.4.2's loop: True if consistent, ProofError if not, else False."""
    if old_size < 0 or new_size < 0:
        raise ProofError(f"negative tree size ({old_size}, {new_size})")
    if old_size > new_size:
        raise ProofError(f"the old size {old_size} is larger than the new size {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofError("a consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(f"two different roots for the same tree size {old_size}")
        return True
    if old_size == 0:
        # Every tree extends the empty one, whose root is SHA-256("") (§2.1.1); the proof is
        # empty. (transparency-dev/merkle refuses this case as meaningless; we accept it only
        # with the true empty root, so that a first checkpoint of an empty journal chains.)
        if proof:
            raise ProofError("a consistency proof from the empty tree must be empty")
        if old_root != _EMPTY_ROOT:
            raise ProofError("the root of the empty tree must be SHA-256 of nothing")
        return True
    # 1. If consistency_path is an empty array, stop and fail the proof verification.
    if not proof:
        raise ProofError(f"empty consistency proof from size {old_size} to {new_size}")
    return False


def _consistency_walk(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes, int]:
    """Steps 2 to 6 of RFC 9162 §2.1.4.2 (0 < old_size < new_size): returns fr, sr, sn."""
    path = list(proof)
    # 2. If first is an exact power of 2, then prepend first_hash to the consistency_path.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    # 3. Set fn to first - 1 and sn to second - 1.
    fn, sn = old_size - 1, new_size - 1
    # 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. Set both fr and sr to the first value in the consistency_path array.
    fr = sr = path[0]
    # 6. For each subsequent value c in the consistency_path array:
    for c in path[1:]:
        #  a. If sn is 0, then stop the iteration and fail the proof verification.
        if sn == 0:
            raise ProofError(
                f"the consistency proof from {old_size} to {new_size} has too many hashes "
                f"({len(proof)})"
            )
        #  b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            #  i. Set fr to HASH(0x01 || c || fr). Set sr to HASH(0x01 || c || sr).
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            #  ii. If LSB(fn) is not set, then right-shift both fn and sn equally until
            #      either LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        #  Otherwise: i. Set sr to HASH(0x01 || sr || c).
        else:
            sr = node_hash(sr, c)
        #  c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    return fr, sr, sn
