"""Notification records: one per signification and channel (F4.4).

The row is both the history of an alert (attempts, last error, operator id) and its lock:
it is unique per (signification, channel), and a send starts only after a compare-and-set
of its status to ``sending``, so a retried or duplicated task never sends twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Notification"]


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("courriel")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENDING = "sending", _("envoi en cours")
        SENT = "sent", _("envoyée")
        FAILED = "failed", _("échec")

    # No foreign key: the significations app owns that table and may evolve on its own.
    # Indexed through the unique constraint below, whose first column it is.
    signification_id = models.BigIntegerField(_("signification"))
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    to = models.CharField(_("destinataire"), max_length=254)
    status = models.CharField(
        _("état"), max_length=7, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    provider_id = models.CharField(_("identifiant chez l'opérateur"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # Start of the current attempt while ``sending``: a worker killed mid-send leaves the
    # row ``sending``, and an old enough claim may then be taken over (see services).
    claimed_at = models.DateTimeField(_("tentative commencée le"), null=True, blank=True)
    # The process (``host:pid``) sending while ``sending``: when it is gone, its claim is
    # free at once rather than after the lease (securact.core.workers).
    claimed_by = models.CharField(_("envoi pris par"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("signification_id", "channel"),
                name="notify_notification_one_per_channel",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms"]),
                name="notify_notification_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="notify_notification_status_valid",
            ),
            # A sent alert always says when; nothing else claims it was sent.
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="notify_notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to} ({self.get_status_display()})"
