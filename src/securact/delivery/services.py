"""Delivery of a served act (F6.3): *remise à personne* or *à domicile*, decided once.

The rule (LEGAL.md; art. 662-1 and 663 CPC; the manual's 24 hours)
    The deposit step fixes the time of sending and the deadline of the configured rule
    (``24h`` or ``same-day``, ``core.legal_calendar.delivery_deadline``). An opening (the
    recipient's first download) strictly before the deadline makes the signification
    *remise à personne*, delivered at the opening time; otherwise it is *remise à domicile*,
    delivered at the deadline. The decision depends on those times only, never on which code
    runs first: a download after the deadline still records its time but decides *à
    domicile*, and a late deadline task or sweeper still delivers at the deadline itself.

Exactly once
    The decision is one conditional UPDATE ``… WHERE delivery_state = 'attente'``: whoever
    changes the row decides; anyone else finds it decided (SQLite serialises writers, and on
    PostgreSQL the second UPDATE waits for the first and then matches no row). In the same
    transaction the decision is journaled, the certificate's row created and the engine's
    DELIVERY step added, run when the transaction commits (``certificate.py``).

Time
    Every function that decides takes the time as an argument (``now``, ``at``): production
    passes ``core.clock.now()``, tests drive it to the second. The deadline task and the
    sweeper act ``SECURACT_DELIVERY_SETTLE_SECONDS`` after the deadline, so that a download
    that began just before it has recorded its opening first.

What the recipient portal calls: :func:`record_opening`, at every download of an act. The
ordinary letter of a delivery *à domicile* is ``delivery.letter``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from securact.core.legal_calendar import (
    DELIVERY_RULE_24H,
    DELIVERY_RULE_SAME_DAY,
    PARIS,
    next_jour_ouvrable,
    require_aware,
)
from securact.delivery.models import DeliveryCertificate
from securact.evidence import journal
from securact.evidence.pdf_layout import LEGAL_LANGUAGE, paris_time
from securact.significations import process
from securact.significations.models import Act, DeliveryState, Signification, Step

logger = logging.getLogger(__name__)

__all__ = [
    "Delivery",
    "NotDeposited",
    "SweepReport",
    "certificate_name",
    "decide_at_deadline",
    "letter_due_date",
    "record_opening",
    "sweep",
]


class NotDeposited(Exception):
    """The signification has not been deposited: there is nothing to open or decide."""


@dataclass(frozen=True)
class Delivery:
    """The signification's delivery after a call; ``decided`` if this call took the decision."""

    state: DeliveryState
    deadline: datetime
    opened_at: datetime | None
    delivered_at: datetime | None
    decided: bool = False


# --- reading ----------------------------------------------------------------------------------


def _deposited(signification_id: int) -> Signification:
    signification = Signification.objects.select_related("recipient", "nature").get(
        pk=signification_id
    )
    if not signification.delivery_state or signification.delivery_deadline is None:
        raise NotDeposited(signification_id)
    return signification


def _delivery(signification: Signification, decided: bool = False) -> Delivery:
    if signification.delivery_deadline is None:  # pragma: no cover - checked on load
        raise NotDeposited(signification.pk)
    return Delivery(
        state=DeliveryState(signification.delivery_state),
        deadline=signification.delivery_deadline,
        opened_at=signification.opened_at,
        delivered_at=signification.delivered_at,
        decided=decided,
    )


def rule_of(signification: Signification) -> str:
    """The rule the deadline was computed with. The setting may change after a deposit, so
    it is read from the deadline itself: only ``24h`` puts it exactly 24 hours after sending
    (``same-day`` does too for an act sent at midnight sharp, where both rules agree)."""
    if signification.sent_at is None or signification.delivery_deadline is None:
        return str(settings.SECURACT_DELIVERY_RULE)
    if signification.delivery_deadline - signification.sent_at == timedelta(hours=24):
        return DELIVERY_RULE_24H
    return DELIVERY_RULE_SAME_DAY


def certificate_name(signification: Signification) -> str:
    """``{deposited name}_REMISE.pdf`` (F6.3), after the first act's deposited name: a
    signification's acts share practice, reference and time of sending, and the first one's
    name is the one without a position suffix."""
    first = signification.acts.order_by("position").values_list("deposited_name", flat=True)[:1]
    stem = next(iter(first), "").removesuffix(".pdf")
    return f"{stem}_REMISE.pdf"


def letter_due_date(sent_at: datetime, department: str) -> date:
    """Art. 662-1 CPC: the ordinary letter goes on the first *jour ouvrable* after the day of
    sending (Paris), holidays of the recipient's department — under both rules that is the
    day of the decision at the earliest."""
    return next_jour_ouvrable(sent_at.astimezone(PARIS).date(), department)


# --- deciding -------------------------------------------------------------------------------


def _verdict(signification: Signification, now: datetime) -> tuple[DeliveryState, datetime] | None:
    """What the times say, or None while they say nothing yet."""
    deadline = signification.delivery_deadline
    if deadline is None:
        return None
    opened = signification.opened_at
    if opened is not None and opened < deadline:
        return DeliveryState.IN_PERSON, opened
    if now >= deadline:
        return DeliveryState.AT_HOME, deadline
    return None


def _apply(signification: Signification, now: datetime) -> bool:
    """Take the decision if the times allow it and nobody took it: one conditional UPDATE,
    then the certificate's row. Journal entries are appended by the caller, after every row
    lock it takes (the journal's lock is always taken last)."""
    verdict = _verdict(signification, now)
    if verdict is None:
        return False
    state, delivered_at = verdict
    changed = Signification.objects.filter(
        pk=signification.pk, delivery_state=DeliveryState.AWAITING
    ).update(delivery_state=state, delivered_at=delivered_at)
    if changed != 1:
        signification.refresh_from_db(fields=["delivery_state", "delivered_at", "opened_at"])
        return False
    signification.delivery_state, signification.delivered_at = state, delivered_at
    department = signification.recipient.department
    DeliveryCertificate.objects.create(
        signification=signification,
        mode=state,
        name=certificate_name(signification),
        letter_due=(
            letter_due_date(signification.sent_at, department)
            if state == DeliveryState.AT_HOME and signification.sent_at is not None
            else None
        ),
        decided_at=now,
    )
    # The certificate is a step of the engine, run when the decision commits.
    process.enqueue_event(signification.pk, Step.Name.DELIVERY)
    logger.info("signification %s: delivered %s at %s", signification.pk, state, delivered_at)
    return True


def _journal_decision(signification: Signification) -> None:
    deadline = signification.delivery_deadline
    delivered = signification.delivered_at
    if deadline is None or delivered is None:  # pragma: no cover - set by _apply
        return
    values = {
        "recipient": signification.recipient.name,
        "deadline": paris_time(deadline),
        "opened": paris_time(signification.opened_at) if signification.opened_at else "",
    }
    if signification.delivery_state == DeliveryState.IN_PERSON:
        action = journal.Action.DELIVERED_IN_PERSON
        message = gettext(
            "Remise à personne : acte ouvert par le destinataire %(recipient)s le %(opened)s, "
            "avant l'échéance du %(deadline)s"
        )
    else:
        action = journal.Action.DELIVERED_AT_HOME
        message = gettext(
            "Remise à domicile : acte non ouvert par le destinataire %(recipient)s avant "
            "l'échéance du %(deadline)s"
        )
    journal.append(
        action,
        actor=journal.PLATFORM_ACTOR,
        signification_id=signification.pk,
        data={
            "mode": signification.delivery_state,
            "rule": rule_of(signification),
            "deadline": deadline.isoformat(),
            "delivered_at": delivered.isoformat(),
            "opened_at": signification.opened_at.isoformat() if signification.opened_at else None,
            "message": message % values,
        },
    )


def decide_at_deadline(signification_id: int, *, now: datetime) -> Delivery:
    """The deadline has come (deadline task, sweeper): *à domicile*, delivered at the
    deadline, unless an opening before it decided first. Early, duplicate or late calls
    change nothing or decide the same thing."""
    require_aware(now)
    with transaction.atomic(), translation.override(LEGAL_LANGUAGE):
        signification = _deposited(signification_id)
        decided = signification.delivery_state == DeliveryState.AWAITING and _apply(
            signification, now
        )
        if decided:
            _journal_decision(signification)
    return _delivery(signification, decided)


def _act(signification: Signification, act_id: int | None) -> Act | None:
    acts = signification.acts.exclude(deposited_name="")
    return acts.filter(pk=act_id).first() if act_id is not None else acts.first()


def _journal_download(
    signification: Signification, *, actor: str, at: datetime, first: bool, act: Act | None
) -> None:
    values = {
        "recipient": signification.recipient.name,
        "file": act.deposited_name if act else "",
        "at": paris_time(at),
    }
    data = {"file": values["file"], "at": at.isoformat()}
    if first:  # CPC 663: the opening time; ETSI ContentHandover
        journal.append(
            journal.Action.OPENED,
            actor=actor,
            signification_id=signification.pk,
            data={
                **data,
                "message": gettext(
                    "Première ouverture de l'acte %(file)s par le destinataire %(recipient)s "
                    "le %(at)s"
                )
                % values,
            },
        )
    journal.append(  # every download; ETSI ContentAccessTracking
        journal.Action.DOWNLOADED,
        actor=actor,
        signification_id=signification.pk,
        data={
            **data,
            "message": gettext("Téléchargement de %(file)s par le destinataire %(recipient)s")
            % values,
        },
    )


def record_opening(
    signification_id: int, *, actor: str, at: datetime, act_id: int | None = None
) -> Delivery:
    """The recipient downloaded an act (``act_id``, else the first) at ``at``: the one entry
    point of the recipient portal, called at every download.

    The first call fixes ``opened_at`` (art. 663 CPC) and journals the ETSI
    ``ContentHandover``; every call journals a ``ContentAccessTracking``. Strictly before the
    deadline, while undecided, the signification becomes *remise à personne* delivered at
    ``at``; at or after it, *remise à domicile* delivered at the deadline.

    ``actor`` is the SHA-256 fingerprint of the recipient's certificate. Raises
    ``Signification.DoesNotExist`` or :class:`NotDeposited`; who may download is the
    portal's check."""
    require_aware(at)
    with transaction.atomic(), translation.override(LEGAL_LANGUAGE):
        signification = _deposited(signification_id)
        first = (
            Signification.objects.filter(pk=signification.pk, opened_at__isnull=True).update(
                opened_at=at
            )
            == 1
        )
        signification.refresh_from_db(fields=["opened_at", "delivery_state", "delivered_at"])
        decided = signification.delivery_state == DeliveryState.AWAITING and _apply(
            signification, at
        )
        _journal_download(
            signification, actor=actor, at=at, first=first, act=_act(signification, act_id)
        )
        if decided:
            _journal_decision(signification)
    return _delivery(signification, decided)


# --- scheduling -------------------------------------------------------------------------------


def settle() -> timedelta:
    """How long after its deadline a delivery is decided (the deadline task, the sweeper)."""
    return timedelta(seconds=float(settings.SECURACT_DELIVERY_SETTLE_SECONDS))


@dataclass(frozen=True)
class SweepReport:
    decided: int


def sweep(*, now: datetime) -> SweepReport:
    """Decide every deposit past its deadline still awaiting (a lost task, an outage): each
    is delivered *à domicile* at its own deadline, not at the time of the sweep. (The
    certificates are steps of the engine: retried, and recovered at worker start, by it.)"""
    require_aware(now)
    # The partial index signification_undecided holds exactly these rows, by deadline.
    undecided = list(
        Signification.objects.filter(
            delivery_state=DeliveryState.AWAITING, delivery_deadline__lte=now - settle()
        )
        .order_by("delivery_deadline")
        .values_list("pk", flat=True)
    )
    decided = sum(1 for pk in undecided if decide_at_deadline(pk, now=now).decided)
    if decided:
        logger.info("delivery sweep: %s decided", decided)
    return SweepReport(decided=decided)
