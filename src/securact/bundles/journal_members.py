"""The journal's part of a bundle or an export: an entry's canonical bytes, the checkpoint
the proofs refer to, inclusion and consistency proofs in the contract's JSON
(docs/evidence-log.md §3), the checkpoints' certificate.

Everything the bundles need from ``securact.evidence.tree`` and
``securact.evidence.checkpoints`` goes through this module, and nothing else here knows
how the journal is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.evidence import checkpoints, tree
from securact.evidence.models import Checkpoint, JournalEntry

INCLUSION_FORMAT = "securact-inclusion-proof/1"
CONSISTENCY_FORMAT = "securact-consistency-proof/1"


@dataclass(frozen=True)
class CheckpointFiles:
    """One signed checkpoint as it is handed out."""

    tree_size: int
    root_hash: bytes
    note: bytes  # the whole signed note (UTF-8)
    timestamp_response: bytes  # RFC 3161 TimeStampResp (DER)
    consistency: dict[str, Any] | None  # from the previous checkpoint, contract JSON

    @property
    def note_name(self) -> str:
        return f"checkpoints/{self.tree_size}.note"


def entry_bytes(entry: JournalEntry) -> bytes:
    """The entry's canonical bytes, exactly those its leaf hashes (0x00 ‖ bytes)."""
    return bytes(entry.canonical_bytes())


def _files(checkpoint: Any) -> CheckpointFiles:
    """The checkpoint as handed out; its root as its signed note states it."""
    return CheckpointFiles(
        tree_size=checkpoint.tree_size,
        root_hash=checkpoints.signed_root(checkpoint),
        note=checkpoint.note.encode("utf-8"),
        timestamp_response=bytes(checkpoint.timestamp_response),
        consistency=checkpoints.consistency_document(checkpoint),
    )


def _needed_size(sequences: Iterable[int]) -> int:
    """The smallest tree size holding every one of ``sequences`` (integrating first what
    is still pending)."""
    wanted = list(sequences)
    if not wanted:
        return 1
    indices = [tree.leaf_index_of(sequence) for sequence in wanted]
    if any(index is None for index in indices):
        tree.integrate()
        indices = [tree.leaf_index_of(sequence) for sequence in wanted]
    missing = [s for s, index in zip(wanted, indices, strict=True) if index is None]
    if missing:
        raise LookupError(f"journal entries not in the tree: {missing}")
    return int(max(index for index in indices if index is not None)) + 1


def _latest_holding(size: int) -> Any:
    latest = checkpoints.latest_checkpoint()
    if latest is None or latest.tree_size < size:
        latest = checkpoints.checkpoint_covering(size)  # published on the spot
    return latest


def checkpoint_covering(sequences: Iterable[int]) -> CheckpointFiles:
    """The latest checkpoint, after publishing one on the spot if it does not hold every
    one of ``sequences`` (or if there is none)."""
    return _files(_latest_holding(_needed_size(sequences)))


def checkpoint_now() -> CheckpointFiles:
    """The latest checkpoint, after publishing one if the tree grew since (an export proves
    everything it holds against one checkpoint)."""
    return _files(_latest_holding(max(tree.tree_head().size, 1)))


def included(sequence: int, tree_size: int) -> bool:
    """Whether entry ``sequence`` is among the first ``tree_size`` leaves (an entry
    appended after a checkpoint is not in it)."""
    index = tree.leaf_index_of(sequence)
    return index is not None and int(index) < tree_size


def inclusion_proof(sequence: int, tree_size: int) -> dict[str, Any]:
    """The contract's inclusion proof JSON of entry ``sequence`` in the tree of
    ``tree_size`` leaves (the checkpoint of that size)."""
    proof = tree.inclusion_proof(sequence, tree_size)
    return {
        "format": INCLUSION_FORMAT,
        "sequence": proof.sequence,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf_hash": proof.leaf_hash.hex(),
        "hashes": [node.hex() for node in proof.hashes],
        "checkpoint": f"checkpoints/{proof.tree_size}.note",
    }


def all_checkpoints() -> Iterator[CheckpointFiles]:
    """Every checkpoint, oldest first."""
    ordered = Checkpoint.objects.select_related("previous").order_by("tree_size")
    for checkpoint in ordered.iterator(chunk_size=200):
        yield _files(checkpoint)


def journal_certificate_file() -> Path:
    return Path(settings.SECURACT_JOURNAL_CERT)


# --- proofs checked before they are handed out ---------------------------------------------


class ProofUnavailable(Refusal):
    """What was asked has no proof (unknown entry, no such checkpoint); French."""


class ProofFailed(Refusal):
    """A proof computed from the journal does not verify: the journal was altered."""


def _checkpoint_of_size(size: int) -> Any:
    checkpoint = Checkpoint.objects.filter(tree_size=size).first()
    if checkpoint is None:
        raise ProofUnavailable(
            gettext("Aucun point de contrôle de taille %(size)d n'a été publié.") % {"size": size}
        )
    return checkpoint


def checked_inclusion_proof(sequence: int, size: int | None = None) -> dict[str, Any]:
    """The inclusion proof of entry ``sequence`` against the checkpoint of ``size``
    (default: the latest, published now if none holds the entry), verified against the
    checkpoint's signed root before it is returned."""
    entry = JournalEntry.objects.filter(sequence=sequence).first()
    if entry is None:
        raise ProofUnavailable(
            gettext("L'entrée n° %(sequence)d du journal n'existe pas.") % {"sequence": sequence}
        )
    if size is None:
        files = checkpoint_covering([sequence])
        size, root = files.tree_size, files.root_hash
    else:
        root = checkpoints.signed_root(_checkpoint_of_size(size))
        index = tree.leaf_index_of(sequence)
        if index is None or index >= size:
            raise ProofUnavailable(
                gettext(
                    "L'entrée n° %(sequence)d n'est pas dans le point de contrôle de taille "
                    "%(size)d : il a été publié avant elle."
                )
                % {"sequence": sequence, "size": size}
            )
    document = inclusion_proof(sequence, size)
    _verify_inclusion(entry, document, root)
    return document


def _verify_inclusion(entry: JournalEntry, document: dict[str, Any], root: bytes) -> None:
    from securact_verifier import merkle

    leaf = merkle.leaf_hash(entry_bytes(entry))
    try:
        if leaf.hex() != document["leaf_hash"]:
            raise merkle.ProofError("leaf hash")
        merkle.verify_inclusion(
            leaf,
            document["leaf_index"],
            document["tree_size"],
            [bytes.fromhex(node) for node in document["hashes"]],
            root,
        )
    except merkle.ProofError as error:
        raise ProofFailed(
            gettext(
                "La preuve d'inclusion de l'entrée n° %(sequence)d ne se vérifie pas contre "
                "le point de contrôle de taille %(size)d : le journal a été modifié."
            )
            % {"sequence": entry.sequence, "size": document["tree_size"]}
        ) from error


def checked_consistency_proof(old_size: int, new_size: int) -> dict[str, Any]:
    """The consistency proof between the trees of ``old_size`` and ``new_size`` leaves,
    verified before it is returned."""
    from securact_verifier import merkle

    head = tree.tree_head()
    if not 0 < old_size <= new_size <= head.size:
        raise ProofUnavailable(
            gettext(
                "Tailles invalides : il faut 0 < ANCIENNE ≤ NOUVELLE ≤ %(size)d (taille "
                "actuelle du journal)."
            )
            % {"size": head.size}
        )
    old_root, new_root = tree.root_at(old_size), tree.root_at(new_size)
    hashes = tree.consistency_proof(old_size, new_size)
    try:
        merkle.verify_consistency(old_size, new_size, old_root, new_root, hashes)
    except merkle.ProofError as error:
        raise ProofFailed(
            gettext(
                "La preuve de cohérence de %(old)d à %(new)d entrées ne se vérifie pas : le "
                "journal a été modifié."
            )
            % {"old": old_size, "new": new_size}
        ) from error
    return {
        "format": CONSISTENCY_FORMAT,
        "old_size": old_size,
        "new_size": new_size,
        "old_root": old_root.hex(),
        "new_root": new_root.hex(),
        "hashes": [node.hex() for node in hashes],
    }


def publish_now() -> CheckpointFiles:
    """``securact evidence checkpoint``: a checkpoint published now (the latest one when
    nothing was appended since)."""
    published = checkpoints.publish_checkpoint(force=True) or checkpoints.latest_checkpoint()
    if published is None:
        raise ProofUnavailable(gettext("Le journal est vide : aucun point de contrôle à publier."))
    return _files(published)
