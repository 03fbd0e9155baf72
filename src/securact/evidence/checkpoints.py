"""The journal's signed checkpoints (issue 12, docs/evidence-log.md §2).

:func:`publish_checkpoint` integrates what is pending into the Merkle tree, writes the C2SP
tlog-checkpoint body (origin, size, root), has it signed by the journal key on the platform's
token (:mod:`securact.evidence.journal_signer`), has the signed note timestamped by the TSA
(RFC 3161, over its SHA-256), and stores the note, the TSA's answer and the RFC 9162
consistency proof from the previous checkpoint, checked before it is stored: a tree that
no longer extends the last signed one is never signed again.

When: :func:`checkpoint_due` (``SECURACT_CHECKPOINT_ENTRIES`` new entries, or
``SECURACT_CHECKPOINT_MINUTES`` after the last checkpoint when anything is new, or
``SECURACT_CHECKPOINT_MAX_HOURS`` after it even with nothing new). Two checkpoints never have
the same size: a checkpoint due with nothing new (the daily one) first appends a
``journal.heartbeat`` entry, so that the new checkpoint, one leaf larger, says "nothing else
happened since the previous one" under a fresh timestamp. The workers publish when due
(:mod:`securact.evidence.checkpoint_schedule`), one at a time
(:mod:`securact.evidence.checkpoint_lock`); ``securact evidence checkpoint`` publishes now.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.core.errors import Refusal
from securact.evidence import checkpoint_lock, journal, journal_signer, tree
from securact.evidence.checkpoint_models import Checkpoint
from securact.evidence.models import JournalPending
from securact.evidence.seal import platform_timestamper
from securact.evidence.timestamp_reply import timestamp_response
from securact.evidence.xml_seal import timestamp_digest
from securact_verifier import merkle, note

logger = logging.getLogger(__name__)

HEARTBEAT = "journal.heartbeat"
EMPTY_ROOT = hashlib.sha256(b"").digest()


class CheckpointRefused(Refusal):
    """The tree no longer extends the last signed checkpoint: nothing is signed (French)."""


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def checkpoint_covering(size: int) -> Checkpoint:
    """The oldest checkpoint of at least ``size`` leaves, publishing one if none is (for a
    proof or a bundle of an entry whose leaf index is ``size - 1``)."""
    found = Checkpoint.objects.filter(tree_size__gte=size).order_by("tree_size").first()
    if found is None:
        publish_checkpoint(force=True)
        found = Checkpoint.objects.filter(tree_size__gte=size).order_by("tree_size").first()
    if found is None:
        raise CheckpointRefused(
            _("Aucun point de contrôle ne couvre les %(size)d premières entrées du journal.")
            % {"size": size}
        )
    return found


def signed_root(checkpoint: Checkpoint) -> bytes:
    """The root the checkpoint's signed note states (not the row's copy)."""
    body, _signatures = note.split_note(checkpoint.note)
    return note.parse_checkpoint(body).root


def consistency_document(checkpoint: Checkpoint) -> dict[str, object]:
    """The consistency proof from the previous checkpoint in the JSON form of
    docs/evidence-log.md §3 (from the empty tree for the first checkpoint)."""
    previous = checkpoint.previous
    return {
        "format": "securact-consistency-proof/1",
        "old_size": previous.tree_size if previous is not None else 0,
        "new_size": checkpoint.tree_size,
        "old_root": (signed_root(previous) if previous is not None else EMPTY_ROOT).hex(),
        "new_root": signed_root(checkpoint).hex(),
        "hashes": list(checkpoint.consistency),
    }


def _known_size() -> int:
    """Leaves in the tree plus entries waiting for theirs (no integration here)."""
    return tree.current_head().size + JournalPending.objects.count()


def checkpoint_due(now: datetime | None = None) -> bool:
    """Whether the settings ask for a checkpoint now (see the module docstring)."""
    now = now or timezone.now()
    latest = latest_checkpoint()
    new = _known_size() - (latest.tree_size if latest else 0)
    if latest is None:
        return new > 0
    age = now - latest.created_at
    entries = int(settings.SECURACT_CHECKPOINT_ENTRIES)
    if new > 0 and (
        (entries > 0 and new >= entries)
        or age >= timedelta(minutes=float(settings.SECURACT_CHECKPOINT_MINUTES))
    ):
        return True
    return age >= timedelta(hours=float(settings.SECURACT_CHECKPOINT_MAX_HOURS))


def publish_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Publish a checkpoint of the whole tree when due (``force``: whenever the tree grew
    since the last one); the new checkpoint, or None when none was published (not due,
    nothing new under ``force``, or another worker is publishing: that one will).

    Raises SealConfigurationError (no journal key), SealTransientError (TSA down: try
    later) or CheckpointRefused (the tree was rewritten), each with a French message."""
    with checkpoint_lock.publishing(wait=force) as held:
        if not held:
            return None
        now = timezone.now()
        if not force and not checkpoint_due(now):
            return None
        head = tree.tree_head()
        latest = latest_checkpoint()
        if latest is not None and head.size <= latest.tree_size:
            if force or head.size < latest.tree_size:
                return None  # a shorter tree: verify_checkpoints reports it
            journal.append(HEARTBEAT, actor=journal.PLATFORM_ACTOR, data={})
            head = tree.tree_head()
        if head.size == 0:
            return None
        body = note.checkpoint_body(journal_signer.key_name(), head.size, head.root_hash)
        signed = journal_signer.sign_body(body)
        digest = hashlib.sha256(signed.encode("utf-8")).digest()
        token = timestamp_digest(digest, platform_timestamper())
        published = _store(head, signed, timestamp_response(token))
    if published is not None:
        logger.info("journal checkpoint %d published", published.tree_size)
    return published


def _store(head: tree.TreeHead, signed: str, tsr: bytes) -> Checkpoint | None:
    """Store the checkpoint after the latest one, with the consistency proof from it; None
    when a checkpoint as large was stored meanwhile."""
    with transaction.atomic():
        checkpoint_lock.serialise_store()
        latest = latest_checkpoint()
        if latest is not None and latest.tree_size >= head.size:
            return None
        old_size, old_root = (latest.tree_size, signed_root(latest)) if latest else (0, EMPTY_ROOT)
        proof = tree.consistency_proof(old_size, head.size) if latest else []
        try:
            merkle.verify_consistency(old_size, head.size, old_root, head.root_hash, proof)
        except merkle.ProofError as exc:
            logger.error("journal checkpoint refused: %s", exc)
            raise CheckpointRefused(
                _(
                    "Le journal n'étend plus le point de contrôle signé de taille %(size)d : "
                    "aucun nouveau point de contrôle n'est signé (lancez « securact "
                    "check_journal »)."
                )
                % {"size": old_size}
            ) from exc
        return Checkpoint.objects.create(
            tree_size=head.size,
            root_hash=head.root_hash,
            note=signed,
            timestamp_response=tsr,
            created_at=timezone.now(),
            previous=latest,
            consistency=[h.hex() for h in proof],
        )
