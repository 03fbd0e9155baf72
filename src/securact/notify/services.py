"""Deposit alerts (F4.4): the email and the SMS of a signification, each sent at most once.

Contract for callers (the process engine's alert step, a retry by an operator):

* Call outside ``transaction.atomic()``: each state change then commits on its own, and no
  database lock is held while the SMTP server or the SMS gateway answers.
* Returns the ``Notification`` once the message is sent. Called again — a retried or
  duplicated task — it returns the same record and sends nothing.
* ``AlertTransientError``: not sent, retry later with backoff; the record stays ``pending``
  with its attempts counted and the reason in ``last_error``.
* ``AlertPermanentError``: not sent and retrying as is will not help; the record is
  ``failed`` with a French reason. It never undoes the deposit. A later call (for example
  after the address was corrected) tries again.

How "at most once" holds: the record is unique per (signification, channel) and a send
starts only after a compare-and-set of its status from ``pending``/``failed`` to
``sending``; only the worker that won the claim talks to the server. A worker killed in the
middle of a send leaves the row ``sending``: another worker takes it over at once when the
claimant (``claimed_by``, host:pid) is a dead process of this machine, and otherwise after
``SECURACT_ALERT_LEASE_SECONDS``. Had the dead worker's message gone out before it died, the
recipient then gets it twice — the one case where a duplicate is preferred to no alert.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.core.errors import Refusal
from securact.core.workers import worker_gone, worker_identity
from securact.notify.messages import DepositFacts, deposit_email, deposit_sms
from securact.notify.models import Notification
from securact.notify.sms import SmsPermanentError, SmsTransientError, get_sms_backend

__all__ = [
    "AlertError",
    "AlertPermanentError",
    "AlertTransientError",
    "send_deposit_email",
    "send_deposit_sms",
]

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 300
Status = Notification.Status
Channel = Notification.Channel


class AlertError(Refusal):
    """An alert was not sent; ``message`` says why, in French."""

    def __init__(self, message: str, notification: Notification | None = None) -> None:
        super().__init__(message)
        self.notification = notification


class AlertTransientError(AlertError):
    """Not sent this time; the same call may succeed later."""


class AlertPermanentError(AlertError):
    """Not sent, and the same call will fail again; the alert is recorded as failed."""


# --- public API ---------------------------------------------------------------------------


def send_deposit_email(
    *,
    signification_id: int,
    to: str,
    practice: str,
    bailiff: str,
    recipient_name: str,
    reference: str,
    nature_label: str,
    deposited_names: list[str],
    deposited_at: datetime,
    link: str,
) -> Notification:
    """Email the recipient that an act was deposited for it (see the module's contract)."""
    to = to.strip()
    facts = DepositFacts(
        practice=practice,
        bailiff=bailiff,
        recipient_name=recipient_name,
        reference=reference,
        nature_label=nature_label,
        deposited_names=list(deposited_names),
        deposited_at=deposited_at,
        link=link,
    )
    return _deliver(signification_id, Channel.EMAIL, to, lambda: _send_email(to, facts))


def send_deposit_sms(
    *, signification_id: int, to: str, practice: str, reference: str, link: str
) -> Notification:
    """Text the recipient's mobile (E.164) that an act was deposited (see the contract)."""
    to = to.strip()
    text = deposit_sms(practice=practice, reference=reference, link=link)
    return _deliver(signification_id, Channel.SMS, to, lambda: _send_sms(to, text))


# --- the record: claim, then finish -------------------------------------------------------


def _deliver(
    signification_id: int, channel: str, to: str, transport: Callable[[], str]
) -> Notification:
    notification, _created = Notification.objects.get_or_create(
        signification_id=signification_id, channel=channel, defaults={"to": to}
    )
    claimed_at = _claim(notification, to)
    if claimed_at is None:
        logger.info(
            "notify: %s alert already sent signification=%s id=%s",
            channel,
            signification_id,
            notification.provider_id,
        )
        return notification
    try:
        provider_id = transport()
    except AlertError as error:
        _record_failure(notification, claimed_at, error)
        raise
    except Exception:
        # A bug or a configuration error: free the row for a later attempt, keep the trace.
        _finish(
            notification,
            claimed_at,
            status=Status.PENDING,
            last_error=_("Erreur inattendue : voir le journal de l'application."),
        )
        raise
    _finish(
        notification,
        claimed_at,
        status=Status.SENT,
        provider_id=provider_id,
        sent_at=timezone.now(),
        last_error="",
    )
    logger.info(
        "notify: %s alert sent signification=%s attempt=%s id=%s",
        channel,
        signification_id,
        notification.attempts,
        provider_id,
    )
    return notification


def _lease() -> timedelta:
    seconds = getattr(settings, "SECURACT_ALERT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    return timedelta(seconds=float(seconds))


def _claim(notification: Notification, to: str) -> datetime | None:
    """Take the right to send (compare-and-set to ``sending``); None if already sent.

    Raises AlertTransientError while another worker holds a fresh claim.
    """
    if notification.status == Status.SENT:
        return None
    now = timezone.now()
    claimable = Q(status__in=[Status.PENDING, Status.FAILED]) | Q(
        status=Status.SENDING, claimed_at__lt=now - _lease()
    )
    if notification.status == Status.SENDING and worker_gone(notification.claimed_by):
        # Its sender was killed mid-send: take over now (this very claim, so that a worker
        # that took it over meanwhile keeps it).
        claimable |= Q(
            status=Status.SENDING,
            claimed_by=notification.claimed_by,
            claimed_at=notification.claimed_at,
        )
    won = Notification.objects.filter(claimable, pk=notification.pk).update(
        status=Status.SENDING,
        claimed_at=now,
        claimed_by=worker_identity(),
        attempts=F("attempts") + 1,
        to=to,
    )
    notification.refresh_from_db()
    if won == 1:
        return now
    if notification.status == Status.SENT:
        return None
    raise AlertTransientError(
        _("Cette alerte est déjà en cours d'envoi par un autre processus."), notification
    )


def _finish(notification: Notification, claimed_at: datetime, **fields: object) -> None:
    # Only the holder of this claim may write the outcome: if the lease expired and another
    # worker took the row over, its outcome wins.
    updated = Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, claimed_at=claimed_at
    ).update(**fields)
    if updated != 1:
        logger.warning(
            "notify: %s alert claim lost signification=%s; outcome not recorded: %s",
            notification.channel,
            notification.signification_id,
            fields.get("status"),
        )
    notification.refresh_from_db()


def _record_failure(notification: Notification, claimed_at: datetime, error: AlertError) -> None:
    permanent = isinstance(error, AlertPermanentError)
    _finish(
        notification,
        claimed_at,
        status=Status.FAILED if permanent else Status.PENDING,
        last_error=error.message,
    )
    error.notification = notification
    logger.warning(
        "notify: %s alert %s signification=%s attempt=%s: %s",
        notification.channel,
        "failed" if permanent else "deferred",
        notification.signification_id,
        notification.attempts,
        error.message,
    )


# --- transports ---------------------------------------------------------------------------


def _send_email(to: str, facts: DepositFacts) -> str:
    """Hand the alert email to the SMTP server; return its Message-ID."""
    try:
        validate_email(to)
    except ValidationError as error:
        raise AlertPermanentError(
            _("Adresse électronique invalide : « %(to)s ».") % {"to": to}
        ) from error
    message = deposit_email(to, facts)
    try:
        # Django's backend closes the connection itself and ignores a server hanging up
        # after accepting the message, so an accepted message is never reported as failed.
        sent = get_connection(fail_silently=False).send_messages([message])
    except (OSError, ValueError) as error:  # smtplib's errors are OSError
        raise _smtp_failure(error) from error
    if sent != 1:
        raise AlertTransientError(_("Le serveur de courriel n'a pas pris le message en charge."))
    return str(message.extra_headers["Message-ID"])


def _smtp_reply(error: Exception) -> tuple[int | None, str]:
    """The SMTP reply code and text behind an error, if the server answered at all."""
    reply: bytes | str
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, reply = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, reply = error.smtp_code, error.smtp_error
    else:
        return None, str(error) or type(error).__name__
    text = reply.decode("utf-8", errors="replace") if isinstance(reply, bytes) else reply
    return code, text


def _smtp_failure(error: Exception) -> AlertError:
    """Sort an SMTP failure: 5xx replies and refused addresses are permanent, all else not."""
    if isinstance(error, ValueError):  # Django refuses the address or a header
        logger.warning("e-mail address or header refused: %s", error)
        return AlertPermanentError(_("Adresse ou en-tête de courriel refusé."))
    code, text = _smtp_reply(error)
    if code is not None and 500 <= code < 600:
        return AlertPermanentError(
            _("Le serveur de courriel a refusé le message (%(code)s %(text)s).")
            % {"code": code, "text": text}
        )
    if code is not None and 400 <= code < 500:
        return AlertTransientError(
            _(
                "Le serveur de courriel a différé le message (%(code)s %(text)s) ; "
                "nouvel essai plus tard."
            )
            % {"code": code, "text": text}
        )
    # No reply: a network failure, whose raw text is logged, not shown (issue 9, item 6).
    logger.warning("SMTP server unreachable: %s", text)
    return AlertTransientError(_("Serveur de courriel injoignable ; nouvel essai plus tard."))


def _send_sms(to: str, text: str) -> str:
    backend = get_sms_backend()
    try:
        return backend.send(to, text)
    except SmsTransientError as error:
        raise AlertTransientError(error.message) from error
    except SmsPermanentError as error:
        raise AlertPermanentError(error.message) from error
