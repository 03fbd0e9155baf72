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
    # Null: the default of the SECURACT_VAULT_QUOTA_BYTES setting (F7.2 occupation).
    quota_bytes = models.PositiveBigIntegerField(_("quota (octets)"), null=True, blank=True)

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


class VaultOccupation(Vault):
    """The vaults seen by their occupation against quota, for operators (the admin's
    *Occupation des coffres-forts*, issue 11 item 8): no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("occupation d'un coffre-fort")
        verbose_name_plural = _("occupation des coffres-forts")


EVIDENCE_KINDS = frozenset(
    {
        "act",
        "signature",
        "deposit_certificate",
        "archive",
        "delivery_certificate",
        "data_message",
        "act_return",
    }
)


class Folder(models.Model):
    """A folder of a vault (F7.2), by path ("/a/b/"; the root "/" has no row).

    Every folder that holds a file has its row, and so have its ancestors (deposits,
    transfers and the vault operations keep it so: ``vault.folders.ensure_folders``;
    ``sync_folders`` repairs rows bulk-loaded without them), so that a folder's subfolders
    are read, paged, from this table by ``(vault, parent)`` — never by scanning the files.
    """

    vault = models.ForeignKey(
        Vault, on_delete=models.PROTECT, related_name="folders", verbose_name=_("coffre-fort")
    )
    path = models.CharField(_("chemin"), max_length=255)
    # The path of the folder holding this one ("/" for a folder at the root).
    parent = models.CharField(_("dossier parent"), max_length=255, db_default="/")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(fields=["vault", "path"], name="folder_unique_path"),
        ]
        indexes = [
            models.Index(fields=["vault", "parent", "path"], name="folder_children"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        """The folder's own name, the last part of its path."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


class StoredFile(models.Model):
    """A file in a vault (F7), its content kept once by SHA-256 in the blob store.

    The mandatory metadata of NF Z42-020: object id, depositor, deposit date, size, hash
    algorithm and hash. A stored file's content is never modified: a new version is a new
    file; moving, renaming or editing its properties leaves the content and its proofs as
    they are.
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

    class Fixity(models.TextChoices):
        UNCHECKED = "unchecked", _("non encore contrôlé")
        INTACT = "intact", _("intègre")
        ALTERED = "altered", _("contenu altéré")
        MISSING = "missing", _("contenu introuvable")
        UNREADABLE = "unreadable", _("contenu illisible")

    vault = models.ForeignKey(
        Vault, on_delete=models.PROTECT, related_name="files", verbose_name=_("coffre-fort")
    )
    folder = models.CharField(_("dossier"), max_length=255, default="/")
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("nature"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    hash_algorithm = models.CharField(
        _("algorithme d'empreinte"), max_length=20, db_default="sha-256"
    )
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    depositor = models.CharField(_("déposant (empreinte du certificat)"), max_length=64)
    deposited_at = models.DateTimeField(_("déposé le"))
    signification_id = models.BigIntegerField(
        _("signification"), null=True, blank=True, db_index=True
    )
    # Properties the owner may edit (F7.2 "éditer propriétés"); never part of the proofs.
    title = models.CharField(_("titre"), max_length=255, blank=True, db_default="")
    description = models.TextField(_("description"), blank=True, db_default="")
    keywords = models.CharField(_("mots-clés"), max_length=500, blank=True, db_default="")
    # Evidence is kept until this date (fixed at deposit from the kind's retention period,
    # so a later change of the setting never shortens it); null: the owner may delete it.
    retain_until = models.DateTimeField(_("conservé jusqu'au"), null=True, blank=True)
    legal_hold = models.BooleanField(_("gel juridique"), db_default=False)
    legal_hold_reason = models.CharField(
        _("motif du gel"), max_length=255, blank=True, db_default=""
    )
    # Defaults are the database's own (db_default): rows bulk-loaded by SQL get them too.
    # RFC 3161 token over the content's SHA-256, asked of the TSA at deposit (the proof).
    deposit_timestamp = models.BinaryField(_("horodatage du dépôt (RFC 3161)"), null=True)
    fixity_state = models.CharField(
        _("contrôle d'intégrité"),
        max_length=12,
        choices=Fixity.choices,
        db_default=Fixity.UNCHECKED,
    )
    fixity_checked_at = models.DateTimeField(_("contrôlé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("fichier du coffre-fort")
        verbose_name_plural = _("fichiers du coffre-fort")
        constraints = [
            models.UniqueConstraint(
                fields=["vault", "folder", "name"], name="stored_file_unique_name_in_folder"
            ),
        ]
        indexes = [
            models.Index(fields=["vault", "deposited_at"], name="stored_file_vault_date"),
            # PostgreSQL: a folder and everything below it by prefix (LIKE 'path%' as a range
            # whatever the collation), and the vault's occupation (SUM of size) read from the
            # index alone. Elsewhere a plain (vault, folder) index.
            models.Index(
                fields=["vault", "folder"],
                name="stored_file_folder_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["size"],
            ),
            models.Index(fields=["vault", "fixity_checked_at"], name="stored_file_vault_fixity"),
        ]

    def __str__(self) -> str:
        return f"{self.folder.rstrip('/')}/{self.name}"

    @property
    def is_evidence(self) -> bool:
        return self.kind in EVIDENCE_KINDS


class Tombstone(models.Model):
    """What remains of a deleted file (F7.4): its identity and who deleted it, when and why.

    The content is gone (once no other file shares it); the row, like the journal entry
    written with it, says that this exact content existed and was destroyed lawfully.
    """

    vault = models.ForeignKey(
        Vault, on_delete=models.PROTECT, related_name="tombstones", verbose_name=_("coffre-fort")
    )
    file_id = models.BigIntegerField(_("identifiant du fichier"), unique=True)
    folder = models.CharField(_("dossier"), max_length=255)
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("nature"), max_length=30, choices=StoredFile.Kind.choices)
    hash_algorithm = models.CharField(_("algorithme d'empreinte"), max_length=20)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    depositor = models.CharField(_("déposant"), max_length=64)
    deposited_at = models.DateTimeField(_("déposé le"))
    signification_id = models.BigIntegerField(_("signification"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("supprimé le"))
    deleted_by = models.CharField(_("supprimé par (empreinte du certificat)"), max_length=64)
    reason = models.CharField(_("motif"), max_length=500)
    journal_sequence = models.PositiveBigIntegerField(_("entrée du journal"))

    class Meta:
        verbose_name = _("trace de suppression")
        verbose_name_plural = _("traces de suppression")

    def __str__(self) -> str:
        return f"{self.folder.rstrip('/')}/{self.name} ({self.deleted_at:%d/%m/%Y})"


class VaultOperation(models.Model):
    """Index of the journal entries about one vault (*lire le journal*, F7.4).

    The entry itself (a Merkle leaf, append-only) is the evidence; this row only lets the
    owner's journal page find his vault's entries without scanning the whole journal.
    """

    vault = models.ForeignKey(
        Vault, on_delete=models.PROTECT, related_name="operations", verbose_name=_("coffre-fort")
    )
    journal_sequence = models.PositiveBigIntegerField(_("entrée du journal"), unique=True)
    file_id = models.BigIntegerField(_("fichier"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=100)
    recorded_at = models.DateTimeField(_("enregistré le"))

    class Meta:
        verbose_name = _("opération du coffre-fort")
        verbose_name_plural = _("opérations du coffre-fort")
        indexes = [
            models.Index(fields=["vault", "-journal_sequence"], name="vault_operation_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.journal_sequence} {self.action}"


class FixityAudit(models.Model):
    """One run of the fixity audit (*contrôler*, F7.4): what was re-read and what was found."""

    vault = models.ForeignKey(
        Vault,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        verbose_name=_("coffre-fort"),
    )
    sample = models.PositiveIntegerField(_("échantillon"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"))
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("fichiers contrôlés"), default=0)
    intact = models.PositiveIntegerField(_("intègres"), default=0)
    altered = models.PositiveIntegerField(_("altérés"), default=0)
    missing = models.PositiveIntegerField(_("introuvables"), default=0)
    unreadable = models.PositiveIntegerField(_("illisibles"), default=0)
    trigger = models.CharField(_("déclenchement"), max_length=20, default="command")
    # A scheduled audit claims its period (seconds since the epoch // the period): unique, so
    # of several workers seeing the period start, exactly one runs its audit.
    slot = models.PositiveBigIntegerField(
        _("période planifiée"), null=True, blank=True, unique=True
    )

    class Meta:
        verbose_name = _("contrôle d'intégrité")
        verbose_name_plural = _("contrôles d'intégrité")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M} — {self.checked}"

    @property
    def problems(self) -> int:
        return self.altered + self.missing + self.unreadable


class EdiCertificate(models.Model):
    """A practice's software certificate for the EDI API (F9.1, issue 13): registered by one
    of the practice's bailiffs, it authenticates the practice's software, which then acts for
    the practice's bailiffs (each submission names the bailiff who signs). Its registration
    and withdrawal are journaled; a withdrawn certificate identifies nobody."""

    practice = models.ForeignKey(
        "directory.Practice",
        on_delete=models.PROTECT,
        related_name="edi_certificates",
        verbose_name=_("étude"),
    )
    fingerprint = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True)
    der = models.BinaryField(_("certificat (DER)"))
    holder = models.CharField(_("titulaire"), max_length=255)
    serial = models.CharField(_("numéro de série"), max_length=80)
    issuer = models.CharField(_("émetteur"), max_length=255)
    not_after = models.DateTimeField(_("fin de validité"))
    registered_at = models.DateTimeField(_("enregistré le"))
    registered_by = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retiré par"),
    )

    class Meta:
        verbose_name = _("certificat EDI")
        verbose_name_plural = _("certificats EDI")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.holder} ({self.fingerprint[:16]}…)"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
