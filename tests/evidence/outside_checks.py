"""Proof checks by implementations we did not write: sigstore-python's RFC 6962 inclusion
verification (Trillian's algorithm) and the verifier distribution's RFC 9162 §2.1.3.2 /
§2.1.4.2 checks (written apart from the service's tiles)."""

from __future__ import annotations

from types import SimpleNamespace

from sigstore._internal.merkle import verify_merkle_inclusion

from securact_verifier.merkle import leaf_hash, verify_consistency, verify_inclusion


def check_inclusion(data: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> None:
    """Raises unless the proof puts the leaf of ``data`` at ``index`` under ``root``."""
    inclusion = SimpleNamespace(log_index=index, tree_size=size, hashes=proof, root_hash=root)
    entry = SimpleNamespace(
        _inner=SimpleNamespace(inclusion_proof=inclusion, canonicalized_body=data)
    )
    verify_merkle_inclusion(entry)  # type: ignore[arg-type]
    verify_inclusion(leaf_hash(data), index, size, proof, root)


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> None:
    verify_consistency(old_size, new_size, old_root, new_root, proof)
