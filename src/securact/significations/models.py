"""The Signification aggregate: its acts (files) and one row per step of the service
process (F4). The database is the single source of truth: a step's state, attempts and
error live here, and every output of a step is recorded on the act rows."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from securact.significations.indexes import SortIndex


class DeliveryState(models.TextChoices):
    """The manual's *état de la remise* (search criterion, result column, detail).

    The values are the search URL's (``?etat=attente``); empty before the deposit."""

    AWAITING = "attente", _("En attente de consultation")
    IN_PERSON = "personne", _("Remis à personne")
    AT_HOME = "domicile", _("Remis à domicile")


# The search's default order (queries._by_date): not yet deposited last, id to break ties.
NEWEST_FIRST = (F("sent_at").desc(nulls_last=True), F("id").desc())


class Signification(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web")
        EDI = "edi", _("EDI")
        CLI = "cli", _("ligne de commande")

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("en cours")
        DONE = "done", _("terminée")
        FAILED = "failed", _("en échec")

    class SigningMode(models.TextChoices):
        """Who signs: the platform, with the bailiff's key on a token it reaches and the PIN
        held by the request (*remote*), or the practice's software with its own token, the
        platform only verifying the values it posts (*client*, issue 13)."""

        REMOTE = "remote", _("sur la plateforme (code PIN)")
        CLIENT = "client", _("par le logiciel de l'étude")

    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, verbose_name=_("étude")
    )
    bailiff = models.ForeignKey(
        "directory.Bailiff",
        on_delete=models.PROTECT,
        related_name="significations",
        verbose_name=_("commissaire de justice"),
    )
    recipient = models.ForeignKey(
        "directory.Recipient",
        on_delete=models.PROTECT,
        related_name="significations",
        verbose_name=_("destinataire"),
    )
    nature = models.ForeignKey(
        "directory.ActNature", on_delete=models.PROTECT, verbose_name=_("nature de l'acte")
    )
    reference = models.CharField(_("référence de dépôt étude"), max_length=100)
    source = models.CharField(_("source"), max_length=5, choices=Source.choices, default=Source.WEB)
    pdfa_level = models.CharField(_("niveau PDF/A"), max_length=2, default="2b")
    actor_fingerprint = models.CharField(
        _("certificat d'authentification (empreinte)"), max_length=64
    )
    signing_certificate = models.BinaryField(_("certificat de signature (DER)"))
    # Empty in client mode: the platform knows no token of the practice's software.
    signing_token_label = models.CharField(_("jeton de signature"), max_length=64, blank=True)
    signing_mode = models.CharField(
        _("mode de signature"),
        max_length=6,
        choices=SigningMode.choices,
        default=SigningMode.REMOTE,
    )
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # Time of service = time of sending (art. 664-1 CPC): set once by the deposit step.
    sent_at = models.DateTimeField(_("date de signification"), null=True, blank=True)
    archived_at = models.DateTimeField(_("date d'archivage"), null=True, blank=True)
    # Delivery (F6.3): set to "attente" with its deadline by the deposit step, then decided
    # once — "personne" at the recipient's first download before the deadline (opened_at),
    # else "domicile" at the deadline — and never changed afterwards.
    delivery_state = models.CharField(
        _("état de la remise"), max_length=10, choices=DeliveryState.choices, blank=True
    )
    delivery_deadline = models.DateTimeField(_("échéance de la remise"), null=True, blank=True)
    opened_at = models.DateTimeField(
        _("date d'ouverture par le destinataire"), null=True, blank=True
    )
    delivered_at = models.DateTimeField(_("date de la remise"), null=True, blank=True)

    class Meta:
        verbose_name = _("signification")
        verbose_name_plural = _("significations")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "reference"], name="signification_reference_unique_per_practice"
            ),
        ]
        indexes = [
            models.Index(fields=["bailiff", "-created_at"]),
            # The deadline sweeper's scan: undecided deposits by deadline.
            models.Index(
                fields=["delivery_deadline"],
                condition=models.Q(delivery_state="attente"),
                name="signification_undecided",
            ),
            # The search (queries.py): an étude's significations, newest deposit first, alone
            # or narrowed by one criterion — each read from its index, ten rows and a bounded
            # count, never a sort of the étude (issue 4, item 8). The "contains" criteria use
            # trigram indexes on PostgreSQL (migration 0003).
            SortIndex(F("practice"), *NEWEST_FIRST, name="signification_newest"),
            SortIndex(
                F("practice"), F("delivery_state"), *NEWEST_FIRST, name="signification_by_state"
            ),
            SortIndex(F("practice"), F("nature"), *NEWEST_FIRST, name="signification_by_nature"),
            SortIndex(
                F("practice"), F("recipient"), *NEWEST_FIRST, name="signification_by_recipient"
            ),
            SortIndex(F("practice"), F("source"), *NEWEST_FIRST, name="signification_by_source"),
            # The recipient's portal (ui/deposits.py): its deposits, unopened first, then
            # the newest — a page read from this index instead of a sort of all its deposits
            # (a bank with 50 000: 164 ms → 8 ms on PostgreSQL). NULLs come first descending
            # on both databases, as the portal's order has them (sent_at is never NULL there).
            models.Index(
                F("recipient"),
                IsNull(F("opened_at"), True).desc(),
                F("sent_at").desc(),
                F("id").desc(),
                name="signification_recipient_inbox",
            ),
            # The banks' pull API (api/recipient.py): a recipient's deposits in the order
            # they were sent, page after page from a cursor (sent_at, id), since a time.
            models.Index(
                F("recipient"), F("sent_at"), F("id"), name="signification_recipient_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice.code}_{self.reference}"


class Act(models.Model):
    """One file to serve, and what each step made of it."""

    signification = models.ForeignKey(Signification, on_delete=models.CASCADE, related_name="acts")
    position = models.PositiveSmallIntegerField()
    original_name = models.CharField(_("fichier déposé par l'étude"), max_length=255)
    kind = models.CharField(_("type"), max_length=5)
    upload_path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    pdfa_path = models.CharField(max_length=500, blank=True)
    pdfa_sha256 = models.CharField(max_length=64, blank=True)
    pades_pending = models.JSONField(null=True, blank=True)
    pades_signature = models.BinaryField(null=True, blank=True)
    signed_path = models.CharField(max_length=500, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    cades_pending = models.JSONField(null=True, blank=True)
    cades_signature = models.BinaryField(null=True, blank=True)
    p7s_path = models.CharField(max_length=500, blank=True)
    deposited_name = models.CharField(_("fichier signifié"), max_length=255, blank=True)
    stored_file = models.ForeignKey(
        "vault.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["signification", "position"], name="act_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.deposited_name or self.original_name


class Step(models.Model):
    class Name(models.TextChoices):
        CONVERT = "convert", _("Conversion des actes au format PDF/A")
        SIGN = "sign", _("Signature qualifiée des actes")
        DEPOSIT = "deposit", _("Dépôt dans le coffre-fort du destinataire")
        ALERT = "alert", _("Alerte du destinataire par courriel et SMS")
        CERTIFICATE = "certificate", _("Création de l'attestation de dépôt")
        ARCHIVE = "archive", _("Archivage dans votre coffre-fort")
        # Event steps, created when their event happens (not part of the six above).
        DELIVERY = "delivery", _("Création de l'attestation de remise")
        RETURN_SEAL = "return_seal", _("Scellement et dépôt du retour d'acte")

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        WAITING = "waiting", _("en attente de votre signature")
        DONE = "done", _("terminée")
        FAILED = "failed", _("en échec")

    signification = models.ForeignKey(Signification, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=12, choices=Name.choices)
    position = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["signification", "name"], name="step_once"),
        ]
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return f"{self.signification_id}:{self.name}:{self.state}"
