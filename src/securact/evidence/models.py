"""The append-only evidence journal and its RFC 9162 Merkle tree (docs/evidence-log.md, §1).

Entries are written only by :func:`securact.evidence.journal.append`. Django refuses to
change or delete them (model, queryset, admin) and so does the database itself (triggers
created by the migrations, on the entries and on the tree's leaves), so that a stray ORM
call or SQL statement cannot rewrite history; the tree (and, before issue 12, the hash
chain) makes any change made despite that detectable.

The tree: each entry waits in :class:`JournalPending` until :func:`securact.evidence.tree.
integrate` gives it its :class:`JournalLeaf` (the next leaf index), extends the
:class:`JournalTile` rows and moves the :class:`JournalHead` (size and root).
"""

from __future__ import annotations

import hashlib
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from securact.evidence import canonical

HEAD_ID = 1
# The root of the empty tree (RFC 9162 §2.1.1): SHA-256 of nothing.
EMPTY_ROOT = hashlib.sha256(b"").digest()


class JournalImmutableError(RuntimeError):
    """Someone tried to change or delete a journal entry."""

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"journal entries are append-only: {operation} refused "
            "(use securact.evidence.journal.append to add one)"
        )


class JournalEntryQuerySet(models.QuerySet["JournalEntry"]):
    """A queryset with every bulk write path closed except reading."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("update()")

    def delete(self) -> NoReturn:
        raise JournalImmutableError("delete()")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("bulk_update()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Rows made in bulk would skip the numbering and the pending row append() writes.
        raise JournalImmutableError("bulk_create()")

    def create(self, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("create()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("update_or_create()")


class JournalEntry(models.Model):
    """One event of the evidence journal (the F6 history), a leaf of the journal's tree.

    ``sequence`` is the entry's number: increasing, but a rolled-back append leaves a gap in
    the numbers (never in the tree). ``previous_hash`` is ``""`` for a format 2 entry and
    the hash of the entry before for the chained format 1 entries written before issue 12
    (see :mod:`securact.evidence.canonical`)."""

    sequence = models.PositiveBigIntegerField(_("numéro"), primary_key=True)
    recorded_at = models.DateTimeField(_("enregistré le"))
    actor = models.CharField(
        _("acteur"),
        max_length=64,
        help_text=_("Empreinte SHA-256 du certificat de l'acteur, ou « platform »."),
    )
    # No foreign key: the evidence must never depend on (or cascade from) another app.
    signification_id = models.BigIntegerField(_("signification"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    data = models.JSONField(_("données"), default=dict)
    previous_hash = models.CharField(_("empreinte précédente"), max_length=64)
    entry_hash = models.CharField(_("empreinte"), max_length=64, unique=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des preuves")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise JournalImmutableError("save() of an existing entry")
        if self.entry_hash != self.computed_hash():
            raise ValueError("entry_hash does not match the entry's canonical form")
        kwargs["force_insert"] = True  # never an UPDATE, even one touching no row
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("delete()")

    @property
    def format(self) -> int:
        return canonical.entry_format(self.previous_hash)

    def canonical_bytes(self) -> bytes:
        """The entry's canonical bytes in its format: the data of its Merkle leaf."""
        return canonical.leaf_bytes(self)

    def computed_hash(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()


class JournalHead(models.Model):
    """The tree head: its size and root. Integration locks this single row (``SELECT … FOR
    UPDATE``); appending never does."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    tree_size = models.PositiveBigIntegerField(default=0)
    root_hash = models.BinaryField(max_length=32, default=EMPTY_ROOT)

    class Meta:
        verbose_name = _("tête du journal")
        verbose_name_plural = _("tête du journal")

    def __str__(self) -> str:
        return f"tree of {self.tree_size}"


class JournalPending(models.Model):
    """An entry appended and committed, not yet in the tree (written in the appending
    transaction, deleted by the integration that gives it its leaf)."""

    sequence = models.PositiveBigIntegerField(primary_key=True)
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("entrée en attente d'intégration")
        verbose_name_plural = _("entrées en attente d'intégration")

    def __str__(self) -> str:
        return f"pending #{self.sequence}"


class JournalLeaf(models.Model):
    """The leaf ``index`` (0-based, no gap) of the tree: which entry, and its hash
    (SHA-256(0x00 ‖ the entry's canonical bytes)). Append-only, like the entries.

    Looked up by entry (proofs); ``index`` has no index of its own: leaves are given their
    indices by one integration at a time under the head's lock, ``check_journal`` reads them
    all in index order and finds any gap or double, and a second B-tree on every leaf would
    cost the integration a fifth of its time."""

    sequence = models.PositiveBigIntegerField(primary_key=True)
    index = models.PositiveBigIntegerField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("feuille du journal")
        verbose_name_plural = _("feuilles du journal")

    def __str__(self) -> str:
        return f"leaf {self.index}: #{self.sequence}"


class JournalTile(models.Model):
    """Tile (``level``, ``index``) of the tree, C2SP tlog-tiles layout of height 8: the
    hashes, 32 bytes each and concatenated, of the perfect subtrees of 256^level leaves
    numbered 256·index … 256·index + 255 at that level (fewer in the right-most tile of a
    level, rewritten as it grows). Derived data: see :mod:`securact.evidence.tiles`."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hashes = models.BinaryField()

    class Meta:
        verbose_name = _("tuile du journal")
        verbose_name_plural = _("tuiles du journal")

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index}"


from securact.evidence.checkpoint_models import Checkpoint as Checkpoint  # noqa: E402
