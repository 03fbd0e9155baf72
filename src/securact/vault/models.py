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
    # Null until the owner declares its certificate: a recipient's vault can receive
    # deposits before its first connection; it is bound (locked) at that connection.
    certificate_fingerprint = models.CharField(
        _("empreinte SHA-256 du certificat"), max_length=64, unique=True, null=True, blank=True
    )
    certificate_serial = models.CharField(_("numéro de série"), max_length=80, blank=True)
    certificate_holder = models.CharField(_("détenteur"), max_length=255, blank=True)
    certificate_issuer = models.CharField(_("émetteur"), max_length=255, blank=True)
    certificate_not_after = models.DateTimeField(_("fin de validité"), null=True, blank=True)
    certificate_der = models.BinaryField(_("certificat (DER)"), null=True, blank=True)
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


class StoredFile(models.Model):
    """A file in a vault (F7), its content kept once by SHA-256 in the blob store.

    The mandatory metadata of NF Z42-020: object id, depositor, deposit date, size, hash
    algorithm and hash. A stored file is never modified: a new version is a new file.
    """

    class Kind(models.TextChoices):
        ACT = "act", _("acte signifié")
        SIGNATURE = "signature", _("signature détachée (PKCS#7)")
        DEPOSIT_CERTIFICATE = "deposit_certificate", _("attestation de dépôt")
        ARCHIVE = "archive", _("archive de signification")
        DELIVERY_CERTIFICATE = "delivery_certificate", _("attestation de remise")
        DATA_MESSAGE = "data_message", _("message de données")
        ACT_RETURN = "act_return", _("retour d'acte")
        OTHER = "other", _("autre")

    vault = models.ForeignKey(
        Vault, on_delete=models.PROTECT, related_name="files", verbose_name=_("coffre-fort")
    )
    folder = models.CharField(_("dossier"), max_length=255, default="/")
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("nature"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    depositor = models.CharField(_("déposant (empreinte du certificat)"), max_length=64)
    deposited_at = models.DateTimeField(_("déposé le"))
    signification_id = models.BigIntegerField(
        _("signification"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("fichier du coffre-fort")
        verbose_name_plural = _("fichiers du coffre-fort")
        constraints = [
            models.UniqueConstraint(
                fields=["vault", "folder", "name"], name="stored_file_unique_name_in_folder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.folder.rstrip('/')}/{self.name}"
