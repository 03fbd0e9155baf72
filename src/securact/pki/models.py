from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatorCertificate(models.Model):
    """An operator's authentication certificate: the only way into the Django admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("utilisateur"),
    )
    fingerprint = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True)
    holder = models.CharField(_("détenteur"), max_length=255)
    issuer = models.CharField(_("émetteur"), max_length=255)
    not_after = models.DateTimeField(_("fin de validité"))
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificat d'opérateur")
        verbose_name_plural = _("certificats d'opérateurs")

    def __str__(self) -> str:
        return f"{self.holder} ({self.fingerprint[:16]}…)"
