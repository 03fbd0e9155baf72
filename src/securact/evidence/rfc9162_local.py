"""TEMPORARY: RFC 9162 leaf and node hashes, until ``securact_verifier.merkle`` (the
verifier distribution, issue 12) is on main; then this module goes and the tiles import it."""

from __future__ import annotations

import hashlib


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()
