"""The journal's signed checkpoints (issue 12, docs/evidence-log.md §2).

One row per published checkpoint, kept for ever: the signed note (C2SP tlog-checkpoint body,
blank line, signature line), the TSA's answer over SHA-256 of that note, and the consistency
proof from the checkpoint before. Written only by :func:`securact.evidence.checkpoints.
publish_checkpoint`; never changed afterwards (the note is signed and timestamped: a change
would show, see ``verify_checkpoints``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Checkpoint(models.Model):
    tree_size = models.PositiveBigIntegerField(_("taille de l'arbre"), unique=True)
    root_hash = models.BinaryField(_("racine"), max_length=32)
    note = models.TextField(_("point de contrôle signé"))
    timestamp_response = models.BinaryField(_("réponse d'horodatage (RFC 3161)"))
    created_at = models.DateTimeField(_("publié le"), db_index=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("point de contrôle précédent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next",
    )
    # Hex hashes of the RFC 9162 consistency proof from ``previous`` (empty for the first).
    consistency = models.JSONField(_("preuve de cohérence"), default=list)

    class Meta:
        ordering = ["tree_size"]
        get_latest_by = "tree_size"
        verbose_name = _("point de contrôle du journal")
        verbose_name_plural = _("points de contrôle du journal")

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("a published checkpoint is never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    @property
    def root_hex(self) -> str:
        return bytes(self.root_hash).hex()
