"""RFC 9162 reference computations from every leaf (for tests; TEMPORARY until the
verifier distribution's reference builders are on main)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return _node(root_from_leaf_hashes(hashes[:k]), root_from_leaf_hashes(hashes[k:]))


def inclusion_proof_from_leaf_hashes(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    n = len(hashes)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*inclusion_proof_from_leaf_hashes(m, hashes[:k]), root_from_leaf_hashes(hashes[k:])]
    return [*inclusion_proof_from_leaf_hashes(m - k, hashes[k:]), root_from_leaf_hashes(hashes[:k])]


def consistency_proof_from_leaf_hashes(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    if m in (0, len(hashes)):
        return []
    return _subproof(m, hashes, True)


def _subproof(m: int, hashes: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [root_from_leaf_hashes(hashes)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], whole), root_from_leaf_hashes(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), root_from_leaf_hashes(hashes[:k])]
