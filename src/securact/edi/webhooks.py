"""Webhooks: each new event of a practice's (or a recipient's) feed POSTed to its callback
URL, signed with its secret, in order, at least once.

**A feed consumer, not per-signification work.** A webhook follows an *owner's feed*, not a
signification: its unit of work is "the events after my cursor", its state (cursor,
failures, next attempt) belongs to the endpoint, and its order is the feed's, across all
the owner's significations. So it is not a step of the engine (a step belongs to one
signification and would give each endpoint as many retry loops as it has significations,
none knowing the order of the others'): it reads the feed that the journal already is.

* ``register_webhook`` creates the endpoint with a new secret (returned once, stored
  encrypted: ``edi.webhook_secrets``) and its cursor at the feed's end: it receives the
  events that follow.
* The workers' dispatcher (``edi.dispatcher``) reads the journal into the feed and, for each
  endpoint with events after its cursor and no delivery under way or planned, enqueues the
  task ``deliver_webhook(endpoint_id)``.
* The task claims the endpoint (one delivery at a time per endpoint: the order holds), POSTs
  the events one by one, oldest first, and moves the cursor after each 2xx answer. On any
  other outcome (refused connection, timeout, non-2xx, redirect) it records the attempt,
  stops, and enqueues itself for ``run_after`` the backoff: ``SECURACT_WEBHOOK_RETRY_FIRST_SECONDS``
  doubled at each failure up to ``SECURACT_WEBHOOK_RETRY_MAX_SECONDS``, for as long as the
  receiver is down (an operator may deactivate the endpoint in the admin). A delivery whose
  answer was lost (or whose worker died after the POST) is sent again: at least once; the
  receiver deduplicates by the event's ``id``. A duplicate or early task does nothing.

Every attempt is kept (``WebhookAttempt``, the admin); the secret never reaches a log, an
error or the admin.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from securact.core import wake
from securact.core.errors import Refusal
from securact.core.workers import worker_gone, worker_identity
from securact.directory.models import Practice, Recipient
from securact.edi import webhook_secrets
from securact.edi.feed import event_payload, last_event_id, owner_events
from securact.edi.models import FeedEvent, WebhookAttempt, WebhookEndpoint
from securact.evidence import journal
from securact.significations.process import TASKS_CHANNEL

logger = logging.getLogger(__name__)

REGISTERED = "edi.webhook.registered"
SECRET_ROTATED = "edi.webhook.secret_rotated"  # noqa: S105 - an action code
PAGE = 100
SECRET_UNREADABLE = gettext_noop(
    "Secret du webhook illisible (la clé SECRET_KEY a changé sans SECRET_KEY_FALLBACKS) : "
    "enregistrez le webhook à nouveau."
)
# A task planned this long ago and not started (its worker died with it): planned again.
RESCHEDULE_AFTER = timedelta(seconds=60)


class WebhookRefused(Refusal):
    """A callback URL that cannot be registered (French)."""


# --- registration -----------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    schemes = {"https", "http"} if settings.SECURACT_WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in schemes or not parts.hostname or len(url) > 500:
        raise WebhookRefused(
            gettext("Adresse de rappel invalide : une URL https:// de 500 caractères au plus."),
            "url",
        )
    if parts.username or parts.password:
        raise WebhookRefused(
            gettext("L'adresse de rappel ne doit pas contenir d'identifiants."), "url"
        )
    return url


def register_webhook(
    *, url: str, actor: str, practice: Practice | None = None, recipient: Recipient | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint of ``practice`` (or ``recipient``) and its secret, shown only now."""
    if (practice is None) == (recipient is None):
        raise ValueError("a webhook belongs to a practice or to a recipient")
    url = _check_url(url)
    secret = webhook_secrets.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        practice=practice,
        recipient=recipient,
        url=url,
        secret_encrypted=webhook_secrets.encrypt(secret),
        created_by=actor,
        cursor=last_event_id(),
    )
    _journal(REGISTERED, endpoint, actor)
    return endpoint, secret


def rotate_secret(endpoint: WebhookEndpoint, actor: str) -> str:
    """A new secret for ``endpoint`` (the old one stops signing now); shown only now."""
    secret = webhook_secrets.new_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret_encrypted=webhook_secrets.encrypt(secret)
    )
    _journal(SECRET_ROTATED, endpoint, actor)
    return secret


def _journal(action: str, endpoint: WebhookEndpoint, actor: str) -> None:
    owner = (
        {"practice": endpoint.practice.code}
        if endpoint.practice is not None
        else {"siret": endpoint.recipient.siret if endpoint.recipient else ""}
    )
    journal.append(action, actor=actor, data={"webhook": endpoint.pk, "url": endpoint.url, **owner})


# --- scheduling (the dispatcher) ---------------------------------------------------------


def _enqueue(endpoint_id: int, run_after: Any = None) -> None:
    if run_after is None:
        deliver_webhook.enqueue(endpoint_id)
        wake.notify(TASKS_CHANNEL)
    else:
        deliver_webhook.using(run_after=run_after).enqueue(endpoint_id)


def schedule_due() -> int:
    """Enqueue a delivery for every active endpoint with events after its cursor, none under
    way and none planned; how many were enqueued."""
    now = timezone.now()
    lease = timedelta(seconds=float(settings.SECURACT_WEBHOOK_LEASE_SECONDS))
    news = FeedEvent.objects.filter(id__gt=OuterRef("cursor")).filter(
        Q(practice_id=OuterRef("practice_id"))
        | Q(recipient_id=OuterRef("recipient_id"), recipient_sees=True)
    )
    due = (
        WebhookEndpoint.objects.filter(active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(scheduled_at__isnull=True) | Q(scheduled_at__lt=now - RESCHEDULE_AFTER))
        .filter(Q(claimed_by="") | Q(claimed_at__lt=now - lease))
        .filter(Exists(news))
        .values_list("pk", "scheduled_at")
    )
    enqueued = 0
    for pk, scheduled_at in due:
        if WebhookEndpoint.objects.filter(pk=pk, scheduled_at=scheduled_at).update(
            scheduled_at=now
        ):
            _enqueue(pk)
            enqueued += 1
    return enqueued


# --- delivery (the task) ----------------------------------------------------------------------


@task()
def deliver_webhook(endpoint_id: int) -> None:
    """Deliver the endpoint's pending events; idempotent (see the module)."""
    deliver(endpoint_id)


@dataclass(frozen=True)
class Outcome:
    delivered: int
    failed: bool


def deliver(endpoint_id: int) -> Outcome:
    endpoint = _claim(endpoint_id)
    if endpoint is None:
        return Outcome(0, failed=False)
    delivered = 0
    try:
        try:
            secret = webhook_secrets.decrypt(endpoint.secret_encrypted)
        except InvalidToken:
            _back_off(endpoint, gettext(SECRET_UNREADABLE))
            return Outcome(0, failed=True)
        deadline = time.monotonic() + float(settings.SECURACT_WEBHOOK_RUN_SECONDS)
        while True:
            events = list(
                owner_events(endpoint.practice_id, endpoint.recipient_id)
                .filter(id__gt=endpoint.cursor)
                .select_related("signification__practice", "signification__recipient")
                .order_by("id")[:PAGE]
            )
            for event in events:
                error = _post(endpoint, secret, event)
                if error:
                    _back_off(endpoint, error)
                    return Outcome(delivered, failed=True)
                if not _advance(endpoint, event.pk):
                    return Outcome(delivered, failed=False)  # taken over: its claimer goes on
                delivered += 1
            if len(events) < PAGE:
                return Outcome(delivered, failed=False)
            if time.monotonic() > deadline:  # let other endpoints have the worker
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(scheduled_at=timezone.now())
                _enqueue(endpoint.pk)
                return Outcome(delivered, failed=False)
    except Exception:  # never a tight loop of crashes: backed off as a failed delivery
        logger.exception("webhook %s: delivery crashed", endpoint.pk)
        _back_off(endpoint, gettext("Erreur interne lors de la remise ; nouvel essai plus tard."))
        return Outcome(delivered, failed=True)
    finally:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, claimed_by=worker_identity()).update(
            claimed_by="", claimed_at=None
        )


def _claim(endpoint_id: int) -> WebhookEndpoint | None:
    now = timezone.now()
    endpoint = (
        WebhookEndpoint.objects.select_related("practice", "recipient")
        .filter(pk=endpoint_id, active=True)
        .first()
    )
    if endpoint is None:
        return None
    if endpoint.next_attempt_at is not None and endpoint.next_attempt_at > now:
        return None  # a duplicate, or early: the planned task (or the dispatcher) comes later
    lease = timedelta(seconds=float(settings.SECURACT_WEBHOOK_LEASE_SECONDS))
    if endpoint.claimed_by and not (
        (endpoint.claimed_at or now) < now - lease or worker_gone(endpoint.claimed_by)
    ):
        return None  # another worker is delivering
    claimed = WebhookEndpoint.objects.filter(pk=endpoint.pk, claimed_by=endpoint.claimed_by).update(
        claimed_by=worker_identity(), claimed_at=now, scheduled_at=None
    )
    if not claimed:
        return None
    endpoint.refresh_from_db()
    return endpoint


def _body(event: FeedEvent) -> bytes:
    return json.dumps(
        event_payload(event), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: the event is never posted elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(endpoint: WebhookEndpoint, secret: str, event: FeedEvent) -> str:
    """POST one event; "" when the receiver answered 2xx, else the French reason."""
    body = _body(event)
    if urlsplit(endpoint.url).scheme not in ("https", "http"):  # checked when registered too
        return gettext("Adresse de rappel invalide : une URL https:// de 500 caractères au plus.")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked just above
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Securact-Webhooks/1",
            "X-Securact-Event": event.event,
            "X-Securact-Event-Id": str(event.pk),
            webhook_secrets.SIGNATURE_HEADER: webhook_secrets.signature_header(secret, body),
        },
    )
    started, status, error = time.monotonic(), None, ""
    try:
        with _OPENER.open(request, timeout=float(settings.SECURACT_WEBHOOK_TIMEOUT)) as answer:
            status = int(answer.status)
            answer.read(4096)
    except urllib.error.HTTPError as failure:
        status = int(failure.code)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        error = gettext("Adresse injoignable : %(reason)s") % {"reason": reason}
    if status is not None and not 200 <= status < 300:
        error = gettext("Réponse HTTP %(status)d du destinataire du rappel.") % {"status": status}
    WebhookAttempt.objects.create(
        endpoint=endpoint,
        event=event,
        attempted_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
        status_code=status,
        delivered=not error,
        error=error,
    )
    return error


def _advance(endpoint: WebhookEndpoint, event_id: int) -> bool:
    moved = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, claimed_by=worker_identity(), cursor__lt=event_id
    ).update(
        cursor=event_id,
        failures=0,
        next_attempt_at=None,
        last_error="",
        last_success_at=timezone.now(),
    )
    endpoint.cursor = event_id
    return moved == 1


def backoff_seconds(failures: int) -> float:
    first = float(settings.SECURACT_WEBHOOK_RETRY_FIRST_SECONDS)
    longest = float(settings.SECURACT_WEBHOOK_RETRY_MAX_SECONDS)
    return float(min(longest, first * 2 ** min(max(failures - 1, 0), 30)))


def _back_off(endpoint: WebhookEndpoint, error: str) -> None:
    failures = endpoint.failures + 1
    delay = backoff_seconds(failures)
    next_attempt = timezone.now() + timedelta(seconds=delay)
    WebhookEndpoint.objects.filter(pk=endpoint.pk, claimed_by=worker_identity()).update(
        failures=failures, next_attempt_at=next_attempt, scheduled_at=next_attempt, last_error=error
    )
    _enqueue(endpoint.pk, run_after=next_attempt)
    logger.warning(
        "webhook %s: delivery failed (%s), next attempt in %.0f s", endpoint.pk, error, delay
    )


def prune_attempts() -> int:
    """Delivered attempts older than ``SECURACT_WEBHOOK_ATTEMPTS_DAYS`` go (failed ones
    stay as long as their endpoint)."""
    before = timezone.now() - timedelta(days=float(settings.SECURACT_WEBHOOK_ATTEMPTS_DAYS))
    deleted, _rows = WebhookAttempt.objects.filter(delivered=True, attempted_at__lt=before).delete()
    return deleted
