"""The API's own records (issue 13, item 1): the answers kept for ``Idempotency-Key`` and the
request counters of the rate limit. Nothing below the API reads them.

Both live in the database, shared by every gunicorn process and worker (the cache is each
process's own memory, ``settings.CACHES``): a limit or a key holds whichever process answers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one caller: the request it was first used with and, once
    answered, the answer kept to be given again (``api.idempotency``).

    Unique by (caller, key): of two first uses at once, one inserts the row and runs; the
    other finds it and does not run."""

    class State(models.TextChoices):
        RUNNING = "en-cours", _("en cours")
        DONE = "termine", _("terminé")

    fingerprint = models.CharField(
        _("certificat de l'appelant"), max_length=64, help_text=_("Empreinte SHA-256.")
    )
    key = models.CharField(_("clé d'idempotence"), max_length=255)
    method = models.CharField(_("méthode"), max_length=10)
    path = models.CharField(_("adresse"), max_length=2000)
    request_sha256 = models.CharField(_("empreinte de la requête"), max_length=64)
    state = models.CharField(_("état"), max_length=10, choices=State.choices)
    status = models.PositiveSmallIntegerField(_("statut de la réponse"), null=True, blank=True)
    content_type = models.CharField(_("type de la réponse"), max_length=200, blank=True)
    location = models.CharField(_("en-tête Location"), max_length=2000, blank=True)
    body = models.BinaryField(_("réponse"), default=b"")
    created_at = models.DateTimeField(_("créée le"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'idempotence")
        verbose_name_plural = _("clés d'idempotence")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "key"], name="api_idempotency_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created")]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"


class RateWindow(models.Model):
    """How many requests a caller's certificate made in one fixed window of the rate limit
    (``api.rate_limit``); windows past are deleted as new ones open."""

    fingerprint = models.CharField(_("certificat de l'appelant"), max_length=64)
    window = models.BigIntegerField(_("fenêtre"), help_text=_("Début, en secondes Unix."))
    count = models.PositiveIntegerField(_("requêtes"), default=0)

    class Meta:
        verbose_name = _("compteur de requêtes")
        verbose_name_plural = _("compteurs de requêtes")
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "window"], name="api_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]}… @{self.window}: {self.count}"
