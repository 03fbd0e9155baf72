"""*Détruire* (F7.4): deleting a file, and the legal hold that forbids it.

Evidence (the kinds in ``EVIDENCE_KINDS``) cannot be deleted before its retention end or while
under legal hold (``retention.ensure_deletable``); a file another record points at (an act of
a signification, a delivery certificate, a data message, an act return) is evidence of that
record and is not deleted either. Each refusal is journaled too. A deletion replaces the file's
row by a :class:`Tombstone` carrying its identity, who deleted it, when and why, and the
sequence of the journal entry written with it; the content goes once no other file (in any
vault: transfers share content) has the same SHA-256.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from securact.evidence.journal import PLATFORM_ACTOR
from securact.pki.models import OperatorCertificate
from securact.vault import storage
from securact.vault.errors import VaultRefusal
from securact.vault.journaling import VaultAction, record
from securact.vault.models import StoredFile, Tombstone
from securact.vault.retention import RetentionNotOver, ensure_deletable

logger = logging.getLogger(__name__)

MAX_REASON = 500  # Tombstone.reason
MAX_HOLD_REASON = 255  # StoredFile.legal_hold_reason


class DeletionRefused(VaultRefusal):
    """A deletion refused (retention, legal hold, a record pointing at the file)."""


def delete_file(stored: StoredFile, *, actor: str, reason: str) -> Tombstone:
    """Delete ``stored`` and leave its tombstone; refused (and the refusal journaled) for
    evidence before its retention end, under legal hold, or pointed at by another record."""
    reason = " ".join(reason.split())
    if not reason:
        raise VaultRefusal(_("Indiquez le motif de la suppression."), field="reason")
    if len(reason) > MAX_REASON:
        raise VaultRefusal(
            _("Le motif dépasse %(max)d caractères.") % {"max": MAX_REASON}, field="reason"
        )
    try:
        with transaction.atomic():
            return _delete(stored, actor=actor, reason=reason)
    except RetentionNotOver as refusal:
        _journal_refusal(stored, actor=actor, reason=reason, refusal=refusal.message)
        raise DeletionRefused(refusal.message) from refusal
    except (ProtectedError, RestrictedError) as protected:
        message = _(
            "« %(name)s » est une pièce d'une signification (acte, attestation, message de "
            "données ou retour d'acte) : elle ne peut pas être supprimée."
        ) % {"name": stored.name}
        _journal_refusal(stored, actor=actor, reason=reason, refusal=message)
        raise DeletionRefused(message) from protected


def _delete(stored: StoredFile, *, actor: str, reason: str) -> Tombstone:
    # The row as it is now, locked: a legal hold set meanwhile is seen.
    current = StoredFile.objects.select_for_update().filter(pk=stored.pk).first()
    if current is None:
        raise VaultRefusal(_("Ce fichier a déjà été supprimé."))
    ensure_deletable(current)
    StoredFile.objects.filter(pk=current.pk).delete()  # ProtectedError if pointed at
    entry = record(
        current.vault, VaultAction.DELETED, actor=actor, stored=current, data={"reason": reason}
    )
    tombstone = Tombstone.objects.create(
        vault_id=current.vault_id,
        file_id=current.pk,
        folder=current.folder,
        name=current.name,
        kind=current.kind,
        hash_algorithm=current.hash_algorithm,
        sha256=current.sha256,
        size=current.size,
        depositor=current.depositor,
        deposited_at=current.deposited_at,
        signification_id=current.signification_id,
        deleted_at=entry.recorded_at,
        deleted_by=actor,
        reason=reason,
        journal_sequence=entry.sequence,
    )
    sha256 = current.sha256
    transaction.on_commit(lambda: forget_content(sha256))
    return tombstone


def _journal_refusal(stored: StoredFile, *, actor: str, reason: str, refusal: str) -> None:
    record(
        stored.vault,
        VaultAction.DELETION_REFUSED,
        actor=actor,
        stored=stored,
        data={"reason": reason, "refusal": refusal},
    )


def forget_content(sha256: str) -> bool:
    """Delete the content of ``sha256`` if no file refers to it any more (after the deleting
    transaction committed). Returns whether it was deleted. A failure (an object store still
    holding it under retention, say) is logged, never raised: the deletion stands, and the
    content left behind is orphaned, not lost."""
    if StoredFile.objects.filter(sha256=sha256).exists():
        return False
    try:
        delete_blob(sha256)
    except Exception:
        logger.exception("vault: the content %s could not be deleted", sha256)
        return False
    return True


def delete_blob(sha256: str) -> None:
    """The storage's deletion of one content. The S3 helper adds ``storage.delete_blob``
    (branch s3-backend): used when present; until then, the storage API's delete."""
    deleter = getattr(storage, "delete_blob", None)
    if deleter is not None:
        deleter(sha256)
        return
    backend = storage.blob_storage()
    name = storage.blob_name(sha256)
    if backend.exists(name):
        backend.delete(name)


def carry_hold(sha256: str, on: bool) -> None:
    """Carry a legal hold to the object store (the S3 helper's ``storage.set_legal_hold``,
    branch s3-backend: content shared by several files stays held while any of them is);
    nothing to do on the local directory. Inside the hold's transaction, after its row is
    saved: a store refusing it undoes the change."""
    carrier = getattr(storage, "set_legal_hold", None)
    if carrier is not None:
        carrier(sha256, on)


def is_operator(actor: str) -> bool:
    return actor == PLATFORM_ACTOR or (
        OperatorCertificate.objects.filter(fingerprint=actor, user__is_active=True).exists()
    )


def set_legal_hold(stored: StoredFile, *, on: bool, reason: str, actor: str) -> StoredFile:
    """Put ``stored`` under legal hold (``on``) or lift it; operators only, a reason always;
    journaled (``HOLD_SET``, ``HOLD_RELEASED``). Setting the state it already has with the
    same reason changes and journals nothing."""
    if not is_operator(actor):
        raise VaultRefusal(
            _("Seul un opérateur de la plateforme peut poser ou lever un gel juridique.")
        )
    reason = " ".join(reason.split())
    if not reason:
        raise VaultRefusal(_("Indiquez le motif du gel juridique ou de sa levée."), "reason")
    if len(reason) > MAX_HOLD_REASON:
        raise VaultRefusal(
            _("Le motif dépasse %(max)d caractères.") % {"max": MAX_HOLD_REASON}, field="reason"
        )
    with transaction.atomic():
        current = StoredFile.objects.select_for_update().filter(pk=stored.pk).first()
        if current is None:
            raise VaultRefusal(_("Ce fichier a été supprimé."))
        if current.legal_hold == on and (not on or current.legal_hold_reason == reason):
            return current
        current.legal_hold = on
        current.legal_hold_reason = reason if on else ""
        StoredFile.objects.filter(pk=current.pk).update(
            legal_hold=current.legal_hold, legal_hold_reason=current.legal_hold_reason
        )
        carry_hold(current.sha256, on)
        action = VaultAction.HOLD_SET if on else VaultAction.HOLD_RELEASED
        record(current.vault, action, actor=actor, stored=current, data={"reason": reason})
    stored.legal_hold, stored.legal_hold_reason = current.legal_hold, current.legal_hold_reason
    return current
