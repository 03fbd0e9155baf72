"""The EDI's records (F9.1): the files a practice's software uploads before submitting, its
batches and their items, the events feed derived from the journal, and the webhooks that
follow that feed.

* ``Upload``: an act uploaded and checked by content (as the form's), kept in the shared
  work store until it expires; items name uploads by id.
* ``Batch`` / ``BatchItem``: what was submitted, item by item; an item holds its
  signification once created, or its French refusal. The item's reference is the deposit
  reference, and at most one item of a practice that is not refused holds it: the anchor
  that makes a re-submission serve nothing twice.
* ``FeedEvent``: one row per journal entry that is an event of the feed, numbered in the
  order the feed learnt of it (its ``id`` is the feed's cursor); ``FeedState``: how far the
  journal has been read.
* ``WebhookEndpoint`` / ``WebhookAttempt``: a callback URL with its secret (encrypted) and
  its own delivery cursor, and every attempt to deliver an event to it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    """An act uploaded through the EDI, checked by content, waiting to be served."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="+", verbose_name=_("étude")
    )
    uploaded_by = models.CharField(_("déposé par (empreinte du certificat)"), max_length=64)
    name = models.CharField(_("nom du fichier"), max_length=255)
    kind = models.CharField(_("type"), max_length=5)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    key = models.CharField(max_length=300)  # in the shared work store
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)

    class Meta:
        verbose_name = _("fichier téléversé (EDI)")
        verbose_name_plural = _("fichiers téléversés (EDI)")

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"


class Batch(models.Model):
    """A batch of significations submitted by a practice's software."""

    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="+", verbose_name=_("étude")
    )
    client_reference = models.CharField(_("référence du lot (client)"), max_length=100)
    submitted_by = models.CharField(_("transmis par (empreinte du certificat)"), max_length=64)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot EDI")
        verbose_name_plural = _("lots EDI")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client_reference"], name="edi_batch_reference_once"
            )
        ]
        indexes = [models.Index(fields=["practice", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.client_reference} ({self.practice_id})"


class BatchItem(models.Model):
    """One signification asked for in a batch."""

    class State(models.TextChoices):
        RECEIVED = "received", _("reçu")
        PROCESSING = "processing", _("en cours d'enregistrement")
        CREATED = "created", _("signification créée")
        REFUSED = "refused", _("refusé")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="items", verbose_name=_("lot")
    )
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="+", verbose_name=_("étude")
    )
    position = models.PositiveIntegerField(_("rang"))
    reference = models.CharField(_("référence de dépôt"), max_length=100)
    # What was asked (recipient SIRET, nature code, bailiff id, upload ids, elements): kept
    # so that an interrupted batch is resumed as submitted; the elements are dropped once
    # the item is processed (they then live with the signification, or nowhere).
    request = models.JSONField(_("demande"), default=dict)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.RECEIVED
    )
    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="edi_item",
        verbose_name=_("signification"),
    )
    refusal_message = models.TextField(_("motif du refus"), blank=True)
    refusal_field = models.CharField(_("champ en cause"), max_length=100, blank=True)
    # Created, but the token refused to sign in the batch's call (remote signing): it waits
    # at *sign* until the batch is submitted again with the right PIN.
    signing_error = models.TextField(_("erreur de signature"), blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("élément de lot EDI")
        verbose_name_plural = _("éléments de lot EDI")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="edi_item_position_once"),
            # The idempotency anchor: a reference is held by one item that is not refused.
            models.UniqueConstraint(
                fields=["practice", "reference"],
                condition=~Q(state="refused"),
                name="edi_item_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_state_display()})"


class FeedEvent(models.Model):
    """An event of the feed: one journal entry of a signification, as the feed names it
    (the API's and the webhooks' names, docs/edi-api.md). ``id`` orders the feed (the
    cursor); ``sequence`` is the journal entry."""

    class Event(models.TextChoices):
        SUBMITTED = "soumise", _("transmise")
        CONVERTED = "convertie", _("convertie en PDF/A")
        SIGNED = "signee", _("signée")
        DEPOSITED = "deposee", _("déposée")
        DATA_MESSAGE_DEPOSITED = "message_donnees_depose", _("message de données déposé")
        ALERTED = "alertee", _("destinataire alerté")
        ALERT_FAILED = "alerte_echec", _("alerte en échec")
        DEPOSIT_CERTIFICATE = "certificat_depot", _("attestation de dépôt créée")
        ARCHIVED = "archivee", _("archivée")
        OPENED = "ouverte", _("ouverte par le destinataire")
        DELIVERED_IN_PERSON = "remise_a_personne", _("remise à personne")
        DELIVERED_AT_HOME = "remise_a_domicile", _("remise à domicile")
        DELIVERY_CERTIFICATE = "certificat_remise", _("attestation de remise créée")
        RETURN_RECEIVED = "retour_recu", _("retour d'acte reçu")
        RETURN_DEPOSITED = "retour_depose", _("retour d'acte scellé et déposé")

    id = models.BigAutoField(primary_key=True)
    sequence = models.PositiveBigIntegerField(_("entrée du journal"), unique=True)
    signification = models.ForeignKey(
        "significations.Signification",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("signification"),
    )
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.CASCADE, related_name="+", verbose_name=_("étude")
    )
    recipient = models.ForeignKey(
        "directory.Recipient",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("destinataire"),
    )
    # Does the recipient see it (significations.visibility, as in its portal's history)?
    recipient_sees = models.BooleanField(default=False)
    event = models.CharField(_("événement"), max_length=30, choices=Event.choices)
    recorded_at = models.DateTimeField(_("date"))
    data = models.JSONField(_("détails"), default=dict)

    class Meta:
        verbose_name = _("événement EDI")
        verbose_name_plural = _("événements EDI")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["practice", "id"], name="edi_feed_practice"),
            models.Index(
                fields=["recipient", "id"],
                condition=Q(recipient_sees=True),
                name="edi_feed_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} ({self.signification_id})"


class FeedState(models.Model):
    """How far the journal has been read into the feed (one row): every entry up to
    ``scanned`` was read, except the numbers in ``gaps`` (number → when it was first
    missed), which may still commit (a transaction that took its number earlier)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    scanned = models.PositiveBigIntegerField(default=0)
    gaps = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("lecture du journal (flux EDI)")
        verbose_name_plural = _("lecture du journal (flux EDI)")

    def __str__(self) -> str:
        return f"scanned {self.scanned}, {len(self.gaps)} gap(s)"


class WebhookEndpoint(models.Model):
    """A callback URL of a practice or a recipient, with its secret and delivery cursor."""

    practice = models.ForeignKey(
        "directory.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("étude"),
    )
    recipient = models.ForeignKey(
        "directory.Recipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destinataire"),
    )
    url = models.URLField(_("adresse de rappel"), max_length=500)
    # The secret, encrypted with a key derived from SECRET_KEY (edi.secrets): never shown
    # again after its creation, never logged.
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("actif"), default=True)
    created_by = models.CharField(_("créé par (empreinte du certificat)"), max_length=64)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    cursor = models.PositiveBigIntegerField(_("dernier événement remis"), default=0)
    failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("tâche planifiée le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    last_success_at = models.DateTimeField(_("dernière remise"), null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [
            models.CheckConstraint(
                condition=Q(practice__isnull=False, recipient__isnull=True)
                | Q(practice__isnull=True, recipient__isnull=False),
                name="edi_webhook_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:  # the secret is never part of it
        return f"WebhookEndpoint(pk={self.pk}, url={self.url!r})"


class WebhookAttempt(models.Model):
    """One POST of one event to one endpoint, and what came of it."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("webhook"),
    )
    event = models.ForeignKey(
        FeedEvent, on_delete=models.CASCADE, related_name="+", verbose_name=_("événement")
    )
    attempted_at = models.DateTimeField(_("date"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    delivered = models.BooleanField(_("remis"), default=False)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("essai de remise (webhook)")
        verbose_name_plural = _("essais de remise (webhooks)")
        ordering = ["-attempted_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "-attempted_at"])]

    def __str__(self) -> str:
        return f"{self.endpoint_id} → #{self.event_id}: {self.status_code or self.error[:40]}"
