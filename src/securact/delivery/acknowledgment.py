"""The recipient's acknowledgment of a deposit (F9.2, the banks' pull API).

A bank's system that has taken a deposit in says so once: :func:`acknowledge` records the
first acknowledgment (time and certificate) and journals it; a second call finds it and
changes nothing (the same answer, ``created`` false). Only the recipient the deposit was
served on may acknowledge it; anything else is :class:`NotAcknowledgeable`, whether the
deposit exists or not. It decides nothing about the delivery (``models.Acknowledgment``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from securact.core.legal_calendar import require_aware
from securact.delivery.models import Acknowledgment
from securact.directory.models import Recipient
from securact.evidence import journal
from securact.evidence.pdf_layout import LEGAL_LANGUAGE, paris_time
from securact.significations.models import Signification

logger = logging.getLogger(__name__)


class NotAcknowledgeable(Exception):
    """Not a deposit served on this recipient (another's, missing, not deposited yet)."""


def _deposit(signification_id: int, recipient: Recipient) -> Signification:
    signification = (
        Signification.objects.filter(
            pk=signification_id, recipient=recipient, sent_at__isnull=False
        )
        .exclude(delivery_state="")
        .select_related("recipient")
        .only("id", "recipient__name")
        .first()
    )
    if signification is None:
        raise NotAcknowledgeable(signification_id)
    return signification


def acknowledge(
    signification_id: int, *, recipient: Recipient, actor: str, at: datetime
) -> tuple[Acknowledgment, bool]:
    """Record that ``recipient`` (its certificate's SHA-256 ``actor``) acknowledged deposit
    ``signification_id`` at ``at``; the acknowledgment, and whether this call made it."""
    require_aware(at)
    signification = _deposit(signification_id, recipient)
    existing = Acknowledgment.objects.filter(signification=signification).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic(), translation.override(LEGAL_LANGUAGE):
            made = Acknowledgment.objects.create(
                signification=signification, acknowledged_at=at, actor=actor
            )
            journal.append(
                journal.Action.ACKNOWLEDGED,
                actor=actor,
                signification_id=signification.pk,
                data={
                    "at": at.isoformat(),
                    "message": gettext(
                        "Accusé de réception du dépôt par le destinataire %(recipient)s le %(at)s"
                    )
                    % {"recipient": signification.recipient.name, "at": paris_time(at)},
                },
            )
    except IntegrityError:  # a concurrent acknowledgment committed first: it is the one
        return Acknowledgment.objects.get(signification=signification), False
    logger.info("signification %s: acknowledged by its recipient", signification.pk)
    return made, True
