"""The append-only evidence journal.

Entries are written only by :func:`securact.evidence.journal.append`. Django refuses to
change or delete them (model, queryset, admin) and so does the database itself (triggers
created by the migration), so that a stray ORM call or SQL statement cannot rewrite
history; the hash chain makes any change made despite that detectable.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from securact.evidence import canonical

HEAD_ID = 1


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
        # Rows made in bulk would skip the chaining done under the head lock.
        raise JournalImmutableError("bulk_create()")

    def create(self, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("create()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise JournalImmutableError("update_or_create()")


class JournalEntry(models.Model):
    """One event of the evidence journal (the F6 history), chained to the one before."""

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

    def computed_hash(self) -> str:
        return canonical.entry_hash(
            sequence=self.sequence,
            recorded_at=self.recorded_at,
            actor=self.actor,
            signification_id=self.signification_id,
            action=self.action,
            data=self.data,
            previous_hash=self.previous_hash,
        )


class JournalHead(models.Model):
    """The single row appenders lock (SELECT … FOR UPDATE) to number entries without gaps.

    It repeats the last entry's sequence and hash, so a check can also notice entries
    removed from the end of the chain, which no link would reveal.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=canonical.GENESIS_HASH)

    class Meta:
        verbose_name = _("tête du journal")
        verbose_name_plural = _("tête du journal")

    def __str__(self) -> str:
        return f"head #{self.sequence}"


from securact.evidence.checkpoint_models import Checkpoint as Checkpoint  # noqa: E402
