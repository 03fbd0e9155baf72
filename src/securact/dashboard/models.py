"""The dashboard's notifications (F2, *tableau de bord / agenda*).

One row per (signification, category): the signification awaits consultation, was served
*à personne* or *à domicile*, or the recipient returned an answer. The bailiff sees the rows
he has not viewed yet; the eye or the magnifier sets ``viewed_at`` and the row leaves his list.

The columns shown in the table (reference, deposit date, file, recipient) are copied from the
signification when the notice is created: they never change after the deposit, and copying
them lets counts, sorting, filtering and paging read this one table through its partial
indexes, with no join and no query per row, at millions of rows.

These rows are a to-do list, not evidence: the evidence is the journal (``evidence``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What the list shows is what is not viewed yet: every listing index covers only those rows.
UNVIEWED = Q(viewed_at__isnull=True)


class Category(models.TextChoices):
    """The manual's four categories, in its order."""

    AWAITING = "awaiting", _("Significations en attente de consultation")
    IN_PERSON = "in_person", _("Significations considérées comme remises à personne")
    AT_HOME = "at_home", _("Significations considérées comme remises à domicile")
    ACT_RETURN = "act_return", _("Retours d'acte en attente de consultation")


class DashboardNotice(models.Model):
    bailiff = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.CASCADE,
        related_name="dashboard_notices",
        verbose_name=_("commissaire de justice"),
    )
    signification = models.ForeignKey(
        "significations.Signification",
        on_delete=models.CASCADE,
        related_name="dashboard_notices",
        verbose_name=_("signification"),
        db_index=False,  # the unique (signification, category) index starts with it
    )
    category = models.CharField(_("catégorie"), max_length=10, choices=Category.choices)
    # The French label (a gettext msgid, translated when shown), e.g. « Dépôt de l'acte … ».
    event = models.CharField(_("événement"), max_length=200)
    created_at = models.DateTimeField(_("créée le"))
    # When the notice left the bailiff's list: he viewed it (eye, magnifier, *Passer en vue*)
    # or, with ``resolved_at`` set too, the signification moved on (see services.notify).
    viewed_at = models.DateTimeField(_("vue le"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    # Copied from the signification at creation (immutable after the deposit).
    reference = models.CharField(_("référence de dépôt"), max_length=100)
    deposited_at = models.DateTimeField(_("date de dépôt"))
    deposited_file = models.CharField(_("fichier déposé"), max_length=255)
    file_count = models.PositiveSmallIntegerField(_("nombre de fichiers"), default=1)
    recipient_name = models.CharField(_("destinataire"), max_length=200)
    # Case- and accent-free words of the shown columns, for the filter box.
    search_text = models.CharField(max_length=800, editable=False)

    class Meta:
        verbose_name = _("notification du tableau de bord")
        verbose_name_plural = _("notifications du tableau de bord")
        constraints = [
            models.UniqueConstraint(
                fields=["signification", "category"], name="dashboard_notice_once_per_category"
            ),
        ]
        # Partial indexes (PostgreSQL and SQLite): only unviewed rows, so they stay as small
        # as the lists the bailiffs see. The first serves the four counts (its prefix
        # bailiff, category) and the default order (newest deposit first: read backwards);
        # the others each sortable column. Every order ends with id, in the same direction,
        # so one index serves both directions and paging is stable.
        indexes = [
            models.Index(
                fields=["bailiff", "category", "deposited_at", "id"],
                condition=UNVIEWED,
                name="dash_unviewed_by_date",
            ),
            models.Index(
                fields=["bailiff", "category", "reference", "id"],
                condition=UNVIEWED,
                name="dash_unviewed_by_reference",
            ),
            models.Index(
                fields=["bailiff", "category", "deposited_file", "id"],
                condition=UNVIEWED,
                name="dash_unviewed_by_file",
            ),
            models.Index(
                fields=["bailiff", "category", "recipient_name", "id"],
                condition=UNVIEWED,
                name="dash_unviewed_by_recipient",
            ),
            models.Index(
                fields=["bailiff", "category", "event", "deposited_at", "id"],
                condition=UNVIEWED,
                name="dash_unviewed_by_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.get_category_display()}"


class UnviewedCount(models.Model):
    """How many unviewed notices a bailiff has in a category: the dashboard's four numbers,
    read in one query of four rows however many notices there are.

    Kept by the services in the transaction that changes the notices (+1 on a new unviewed
    notice, −n when n leave the list); ``services.recount`` rebuilds them from the notices
    (after a bulk load, or to check them)."""

    bailiff = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("commissaire de justice"),
        db_index=False,  # the unique (bailiff, category) index starts with it
    )
    category = models.CharField(_("catégorie"), max_length=10, choices=Category.choices)
    unviewed = models.IntegerField(_("non vues"), default=0)

    class Meta:
        verbose_name = _("compteur du tableau de bord")
        verbose_name_plural = _("compteurs du tableau de bord")
        constraints = [
            models.UniqueConstraint(
                fields=["bailiff", "category"], name="dashboard_count_once_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bailiff_id} {self.category}: {self.unviewed}"
