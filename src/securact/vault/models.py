"""Vaults (F7.1). Each bailiff and each recipient has one, locked to one certificate.

The binding is the SHA-256 fingerprint of the owner's authentication certificate: only a
request presenting exactly that certificate opens the vault (renewal re-binds it, F1.3).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Vault(models.Model):
    class OwnerKind(models.TextChoices):
        BAILIFF = "bailiff", _("Commissaire de justice")
        RECIPIENT = "recipient", _("Destinataire")

    owner_kind = models.CharField(_("type de titulaire"), max_length=10, choices=OwnerKind.choices)
    bailiff = models.OneToOneField(
        "directory.Bailiff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vault",
        verbose_name=_("commissaire de justice"),
    )
    recipient = models.OneToOneField(
        "directory.Recipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vault",
        verbose_name=_("destinataire"),
    )
    certificate_fingerprint = models.CharField(
        _("empreinte SHA-256 du certificat"), max_length=64, unique=True
    )
    certificate_serial = models.CharField(_("numéro de série"), max_length=80)
    certificate_holder = models.CharField(_("détenteur"), max_length=255)
    certificate_issuer = models.CharField(_("émetteur"), max_length=255)
    certificate_not_after = models.DateTimeField(_("fin de validité"))
    certificate_der = models.BinaryField(_("certificat (DER)"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("coffre-fort")
        verbose_name_plural = _("coffres-forts")
        constraints = [
            models.CheckConstraint(
                name="vault_has_exactly_one_owner",
                condition=(
                    models.Q(owner_kind="bailiff", bailiff__isnull=False, recipient__isnull=True)
                    | models.Q(
                        owner_kind="recipient", recipient__isnull=False, bailiff__isnull=True
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        owner = self.bailiff or self.recipient
        return f"{_('Coffre-fort')} — {owner}"
