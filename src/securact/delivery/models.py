"""The delivery certificate (*attestation de remise*, F6.3) of a signification.

The delivery itself lives on the signification (``delivery_state``, ``opened_at``,
``delivered_at``): it is decided once, by one conditional UPDATE. The row here is created in
that same transaction with the engine's DELIVERY step (its attempts, state and error): what it made
is recorded (the sealed file and its SHA-256, then the vault entry), so a task run twice, or
run again after its worker died, finishes the job without making a second certificate.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from securact.significations.models import DeliveryState


class DeliveryCertificate(models.Model):
    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="delivery_certificate",
        verbose_name=_("signification"),
    )
    mode = models.CharField(
        _("mode de remise"),
        max_length=10,
        choices=[(s.value, s.label) for s in (DeliveryState.IN_PERSON, DeliveryState.AT_HOME)],
    )
    # ``{deposited name}_REMISE.pdf`` (F6.3), fixed at the decision.
    name = models.CharField(_("nom de l'attestation"), max_length=255)
    # À domicile (art. 662-1 CPC): the day the ordinary letter is due.
    letter_due = models.DateField(_("lettre simple à envoyer le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("remise décidée le"))
    # The sealed PDF once made (in the work directory), then its entry in the bailiff's vault.
    pdf_path = models.CharField(max_length=500, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    stored_file = models.OneToOneField(
        "vault.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fichier du coffre-fort"),
    )
    completed_at = models.DateTimeField(_("déposée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation de remise")
        verbose_name_plural = _("attestations de remise")

    def __str__(self) -> str:
        return self.name


class Acknowledgment(models.Model):
    """The recipient's acknowledgment of a deposit (*accusé de réception*, F9.2): its system
    says it has taken the deposit in. Recorded once (the first one counts), journaled.

    It is not an opening: only the download of an act opens a deposit and decides *remise à
    personne* (CPC 663, ``services.record_opening``); acknowledging changes no delivery."""

    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="acknowledgment",
        verbose_name=_("signification"),
    )
    acknowledged_at = models.DateTimeField(_("accusé de réception le"))
    actor = models.CharField(
        _("certificat du destinataire"), max_length=64, help_text=_("Empreinte SHA-256.")
    )

    class Meta:
        verbose_name = _("accusé de réception")
        verbose_name_plural = _("accusés de réception")

    def __str__(self) -> str:
        return f"{self.signification_id} @ {self.acknowledged_at:%Y-%m-%d %H:%M}"
