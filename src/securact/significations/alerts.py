"""The deposit alerts after the deposit (F4.4; issue 10, item 8): nothing may fail the service.

The alert step tries each channel once, independently (an email that cannot go out does not
hold the SMS), and completes: the deposit certificate and the archive never wait for an
alert. A channel that failed transiently (SMTP server or SMS gateway down) is then retried by
the engine's task ``retry_alert``, keyed by its ``Notification`` row, with its own capped
backoff (``SECURACT_ALERT_RETRY_BACKOFF``) for ``SECURACT_ALERT_RETRY_HOURS``, after which it
is recorded as failed. Meanwhile the alert step shows « alerte en attente ».

At most once: each task carries the row's attempt count when it was scheduled and does
nothing once the row has moved on, so a duplicated task (a worker's start-up recovery, a
restart) never starts a second retry chain; the row's own claim (``notify.services``) keeps
a message from being sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from securact.evidence import journal
from securact.notify.models import Notification
from securact.notify.services import (
    AlertPermanentError,
    AlertTransientError,
    send_deposit_email,
    send_deposit_sms,
)
from securact.significations.models import Signification, Step
from securact.significations.process import PermanentStepError, TransientStepError

logger = logging.getLogger(__name__)

Status = Notification.Status
WAITING = (Status.PENDING, Status.SENDING)


def _journal_once(signification: Signification, action: str, data: dict[str, Any]) -> None:
    """Append unless this signification already has that event (a re-run)."""
    if not journal.entries_for(signification.pk).filter(action=action).exists():
        journal.append(
            action, actor=journal.PLATFORM_ACTOR, signification_id=signification.pk, data=data
        )


def _required_sent_at(signification: Signification) -> datetime:
    if signification.sent_at is None:
        raise PermanentStepError(gettext("Étape lancée avant le dépôt de la signification."))
    return signification.sent_at


def _sender(signification: Signification, channel: str) -> Callable[[], Notification]:
    recipient = signification.recipient
    link = f"{settings.SECURACT_PUBLIC_URL.rstrip('/')}/"
    if channel == Notification.Channel.SMS:
        return lambda: send_deposit_sms(
            signification_id=signification.pk,
            to=recipient.mobile,
            practice=str(signification.practice),
            reference=signification.reference,
            link=link,
        )
    deposited_at = _required_sent_at(signification)
    names = [act.deposited_name for act in signification.acts.all()]
    return lambda: send_deposit_email(
        signification_id=signification.pk,
        to=recipient.email,
        practice=str(signification.practice),
        bailiff=signification.bailiff.full_name,
        recipient_name=recipient.name,
        reference=signification.reference,
        nature_label=signification.nature.label,
        deposited_names=names,
        deposited_at=deposited_at,
        link=link,
    )


def channels(signification: Signification) -> list[str]:
    wanted = [Notification.Channel.EMAIL.value]
    if signification.recipient.mobile:
        wanted.append(Notification.Channel.SMS.value)
    return wanted


def attempt(signification: Signification, channel: str) -> None:
    """Send one channel's alert once; a transient failure schedules the channel's retry."""
    try:
        notification = _sender(signification, channel)()
    except AlertTransientError as error:
        if error.notification is None:  # pragma: no cover - the services always attach it
            raise TransientStepError(error.message) from error
        _schedule(error.notification)
        return
    except AlertPermanentError as error:
        _journal_once(signification, f"alert.{channel}.failed", {"error": error.message})
        return
    _journal_once(
        signification,
        f"alert.{channel}.sent",
        {
            "etsi_event": "NotificationDelivered",
            "to": notification.to,
            "provider_id": notification.provider_id,
        },
    )


def _schedule(notification: Notification, delay: float | None = None) -> None:
    if delay is None:
        backoff = settings.SECURACT_ALERT_RETRY_BACKOFF or [60.0]
        delay = backoff[min(max(notification.attempts - 1, 0), len(backoff) - 1)]
    pk, attempts = notification.pk, notification.attempts
    run_after = timezone.now() + timedelta(seconds=delay)
    transaction.on_commit(lambda: retry_alert.using(run_after=run_after).enqueue(pk, attempts))
    logger.warning(
        "signification %s: %s alert retried in %s s", notification.signification_id,
        notification.channel, delay,
    )  # fmt: skip


@task()
def retry_alert(notification_id: int, attempts: int) -> None:
    """One more try of a deposit alert the alert step left pending."""
    retry(notification_id, attempts)


def retry(notification_id: int, attempts: int) -> None:
    """The task ``retry_alert``: one more try of a channel left pending by the alert step."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.status not in WAITING:
        return
    if notification.attempts != attempts:
        return  # another task of the same chain got there first
    step = Step.objects.get(signification_id=notification.signification_id, name=Step.Name.ALERT)
    if step.state == Step.State.RUNNING:
        # The step is finishing: try after it has recorded its outcome, so that the
        # warning it writes is never older than this try's.
        _schedule(notification, delay=1.0)
        return
    if step.state != Step.State.DONE:
        return  # the step itself sends again when it runs
    if timezone.now() - notification.created_at > _retry_window():
        _give_up(notification)
    else:
        signification = Signification.objects.select_related(
            "practice", "bailiff", "recipient", "nature"
        ).get(pk=notification.signification_id)
        attempt(signification, notification.channel)
    refresh_warning(notification.signification_id)


def _retry_window() -> timedelta:
    return timedelta(hours=float(settings.SECURACT_ALERT_RETRY_HOURS))


def _give_up(notification: Notification) -> None:
    message = gettext("Alerte non envoyée après %(hours)s h d'essais : %(error)s") % {
        "hours": f"{float(settings.SECURACT_ALERT_RETRY_HOURS):g}",
        "error": notification.last_error,
    }
    with transaction.atomic():
        given_up = Notification.objects.filter(pk=notification.pk, status=Status.PENDING).update(
            status=Status.FAILED, last_error=message
        )
        if given_up:
            journal.append(
                f"alert.{notification.channel}.failed",
                actor=journal.PLATFORM_ACTOR,
                signification_id=notification.signification_id,
                data={"error": message},
            )
    logger.error("signification %s: %s", notification.signification_id, message)


def warning(signification_id: int) -> str:
    """What the alert step shows: the channels still waiting, and those that failed."""
    texts = []
    for notification in Notification.objects.filter(signification_id=signification_id).order_by(
        "channel"
    ):
        if notification.status in WAITING:
            texts.append(
                gettext("Alerte en attente (%(channel)s) : %(error)s")
                % {"channel": notification.get_channel_display(), "error": notification.last_error}
            )
        elif notification.status == Status.FAILED:
            texts.append(notification.last_error)
    return " ".join(texts)


def refresh_warning(signification_id: int) -> None:
    Step.objects.filter(
        signification_id=signification_id, name=Step.Name.ALERT, state=Step.State.DONE
    ).update(error=warning(signification_id))


def recover_pending() -> int:
    """At a worker's start: every channel still waiting after its alert step is retried
    again (its queued task may have died with a worker; a duplicate does nothing)."""
    done = Step.objects.filter(name=Step.Name.ALERT, state=Step.State.DONE)
    waiting = Notification.objects.filter(
        status__in=WAITING, signification_id__in=done.values("signification_id")
    )
    count = 0
    for notification in waiting:
        with transaction.atomic():
            _schedule(notification, delay=0)
        count += 1
    return count
