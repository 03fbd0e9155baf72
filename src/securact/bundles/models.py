"""A reversibility export asked for (décret 2018-853): by an operator for a practice or a
recipient, or by a vault's owner for himself. Built in the background by the task
``bundles.export_requests.build_export`` (it takes the row's id and is idempotent); the
bag, zipped, waits in the shared work store for its download."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportRequest(models.Model):
    class Scope(models.TextChoices):
        PRACTICE = "practice", _("étude")
        BAILIFF = "bailiff", _("commissaire de justice")
        RECIPIENT = "recipient", _("destinataire")

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("en échec")

    scope = models.CharField(_("périmètre"), max_length=10, choices=Scope.choices)
    practice = models.ForeignKey(
        "directory.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("étude"),
    )
    bailiff = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commissaire de justice"),
    )
    recipient = models.ForeignKey(
        "directory.Recipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destinataire"),
    )
    # The vault whose owner asked for it (None: an operator): only he downloads it.
    owner_vault = models.ForeignKey(
        "vault.Vault",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coffre-fort du demandeur"),
    )
    requested_by = models.CharField(_("demandé par (empreinte du certificat)"), max_length=64)
    requested_at = models.DateTimeField(_("demandé le"))
    journal_sequence = models.PositiveBigIntegerField(_("entrée du journal"), null=True)
    state = models.CharField(_("état"), max_length=8, choices=State.choices, default=State.PENDING)
    done_items = models.PositiveIntegerField(_("éléments exportés"), default=0)
    total_items = models.PositiveIntegerField(_("éléments à exporter"), default=0)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    claimed_by = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    files = models.PositiveIntegerField(_("fichiers exportés"), default=0)
    problems = models.PositiveIntegerField(_("fichiers manquants ou altérés"), default=0)
    result_key = models.CharField(max_length=300, blank=True)
    result_sha256 = models.CharField(_("empreinte SHA-256 de l'export"), max_length=64, blank=True)
    result_size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de réversibilité")
        verbose_name_plural = _("exports de réversibilité")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["owner_vault", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                name="export_request_has_its_owner",
                condition=(
                    models.Q(scope="practice", practice__isnull=False)
                    | models.Q(scope="bailiff", bailiff__isnull=False)
                    | models.Q(scope="recipient", recipient__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Export')} n° {self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total_items:
            return 0
        return min(99, self.done_items * 100 // self.total_items)
