"""The recipient's settings (F8.2): the act natures it accepts — its consent to electronic
service, by kind of act (art. 748-2 CPC) — their weekly service hours, and its alert
contacts. The portal's views and any future API call these.

Immediate effect
    The bailiff's service form and ``core.services.can_serve`` read the same rows
    (``AcceptedNature``, ``ServiceWindow``, ``Recipient.email``/``mobile``): a change is
    seen by the next request, with no cache in between.

Evidence
    Every change is journaled in the same transaction as the change itself, with the
    recipient's certificate fingerprint as actor, a French message, and the old and new
    values (``old``/``new``), so the record of the consent — what was accepted, from when,
    with which hours — can be rebuilt from the journal alone. ``AcceptedNature.accepted_at``
    keeps when each nature now accepted was accepted.

Concurrency
    Adding a window locks its accepted nature's row (``SELECT … FOR UPDATE`` on PostgreSQL;
    SQLite's IMMEDIATE transactions serialise writers), so two windows that overlap cannot
    both be added by two requests at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from securact.directory.models import (
    AcceptedNature,
    ActNature,
    Recipient,
    ServiceWindow,
    Weekday,
)
from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.significations.queries import PARIS

NATURE_ACCEPTED = "recipient.nature_accepted"
NATURE_WITHDRAWN = "recipient.nature_withdrawn"
WINDOW_ADDED = "recipient.window_added"
WINDOW_REMOVED = "recipient.window_removed"
CONTACTS_CHANGED = "recipient.contacts_changed"
SETTINGS_ACTIONS = (
    NATURE_ACCEPTED,
    NATURE_WITHDRAWN,
    WINDOW_ADDED,
    WINDOW_REMOVED,
    CONTACTS_CHANGED,
)
CHANGES_SHOWN = 50


class SettingNotFound(Exception):
    """Not one of the signed-in recipient's accepted natures or windows."""


# --- reading ---------------------------------------------------------------------------------


def available_natures(recipient: Recipient) -> QuerySet[ActNature]:
    """The active natures the recipient does not accept yet, in display order."""
    return (
        ActNature.objects.filter(is_active=True)
        .exclude(acceptednature__recipient=recipient)
        .order_by("sort_order", "label")
    )


def accepted_natures(recipient: Recipient) -> list[AcceptedNature]:
    """The recipient's accepted natures with their windows (two queries)."""
    windows = ServiceWindow.objects.order_by("weekday", "start")
    return list(
        AcceptedNature.objects.filter(recipient=recipient)
        .select_related("nature")
        .prefetch_related(Prefetch("windows", queryset=windows))
        .order_by("nature__sort_order", "nature__label")
    )


@dataclass(frozen=True)
class Change:
    at: datetime  # Europe/Paris
    message: str


@dataclass(frozen=True)
class ConsentRecord:
    """What the settings page shows of the consent: since when, for which natures, and the
    journaled changes, newest first."""

    natures: list[AcceptedNature]
    since: datetime | None
    changes: list[Change]


def consent_record(recipient: Recipient) -> ConsentRecord:
    natures = accepted_natures(recipient)
    since = min((accepted.accepted_at for accepted in natures), default=None)
    entries = JournalEntry.objects.filter(
        action__in=SETTINGS_ACTIONS, data__siret=recipient.siret
    ).order_by("-sequence")[:CHANGES_SHOWN]
    changes = [
        Change(
            at=timezone.localtime(entry.recorded_at, PARIS),
            message=str((entry.data or {}).get("message", entry.action)),
        )
        for entry in entries
    ]
    return ConsentRecord(natures=natures, since=since, changes=changes)


# --- journal ---------------------------------------------------------------------------------


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def window_text(weekday: int, start: time, end: time) -> str:
    """« lundi de 08:00 à 12:00 »."""
    return gettext("%(day)s de %(start)s à %(end)s") % {
        "day": Weekday(weekday).label,
        "start": _hhmm(start),
        "end": _hhmm(end),
    }


def _windows_value(windows: list[ServiceWindow]) -> list[dict[str, Any]]:
    return [
        {"weekday": w.weekday, "start": _hhmm(w.start), "end": _hhmm(w.end)}
        for w in sorted(windows, key=lambda w: (w.weekday, w.start))
    ]


def _record(
    action: str,
    recipient: Recipient,
    *,
    actor: str,
    message: str,
    old: Any,
    new: Any,
    **extra: Any,
) -> None:
    journal.append(
        action,
        actor=actor,
        data={
            "siret": recipient.siret,
            "recipient": recipient.name,
            "message": message,
            "old": old,
            "new": new,
            **extra,
        },
    )


# --- natures ---------------------------------------------------------------------------------


def accept_nature(recipient: Recipient, nature: ActNature, *, actor: str) -> AcceptedNature:
    """The recipient consents to be served ``nature`` (at any legal time until it adds hours)."""
    with transaction.atomic():
        if AcceptedNature.objects.filter(recipient=recipient, nature=nature).exists():
            raise ValidationError(
                {"nature": gettext("Vous acceptez déjà cette nature d'acte.")}, code="accepted"
            )
        if not nature.is_active:
            raise ValidationError(
                {"nature": gettext("Cette nature d'acte n'est plus proposée.")}, code="inactive"
            )
        try:
            with transaction.atomic():
                accepted = AcceptedNature.objects.create(recipient=recipient, nature=nature)
        except IntegrityError as concurrent:  # the same nature accepted by another request
            raise ValidationError(
                {"nature": gettext("Vous acceptez déjà cette nature d'acte.")}, code="accepted"
            ) from concurrent
        _record(
            NATURE_ACCEPTED,
            recipient,
            actor=actor,
            nature=nature.code,
            message=gettext(
                "Nature d'acte acceptée par %(recipient)s : %(nature)s (consentement à la "
                "signification électronique, à toute heure légale)"
            )
            % {"recipient": recipient.name, "nature": nature.label},
            old=None,
            new={"nature": nature.code, "accepted_at": accepted.accepted_at.isoformat()},
        )
    return accepted


def _own_accepted(recipient: Recipient, accepted_id: int) -> AcceptedNature:
    accepted = (
        AcceptedNature.objects.select_for_update()
        .select_related("nature")
        .filter(pk=accepted_id, recipient=recipient)
        .first()
    )
    if accepted is None:
        raise SettingNotFound(accepted_id)
    return accepted


def withdraw_nature(recipient: Recipient, accepted_id: int, *, actor: str) -> ActNature:
    """The recipient withdraws its consent for one nature (and its hours)."""
    with transaction.atomic():
        accepted = _own_accepted(recipient, accepted_id)
        windows = list(accepted.windows.all())
        nature = accepted.nature
        accepted.delete()
        _record(
            NATURE_WITHDRAWN,
            recipient,
            actor=actor,
            nature=nature.code,
            message=gettext("Nature d'acte retirée par %(recipient)s : %(nature)s")
            % {"recipient": recipient.name, "nature": nature.label},
            old={
                "nature": nature.code,
                "accepted_at": accepted.accepted_at.isoformat(),
                "windows": _windows_value(windows),
            },
            new=None,
        )
    return nature


# --- windows ---------------------------------------------------------------------------------


def check_window(
    existing: list[ServiceWindow], weekday: int, start: time, end: time, *, ignore: int = 0
) -> None:
    """French field errors for a window that is empty, reversed or overlaps another of the
    same day (windows are [start, end): 08:00–12:00 and 12:00–14:00 do not overlap)."""
    if start >= end:
        raise ValidationError(
            {"end": gettext("L'heure de fin doit suivre l'heure de début.")}, code="order"
        )
    for window in existing:
        if window.pk == ignore or window.weekday != weekday:
            continue
        if start < window.end and window.start < end:
            raise ValidationError(
                {
                    "start": gettext("Cette plage chevauche la plage existante du %(window)s.")
                    % {"window": window_text(window.weekday, window.start, window.end)}
                },
                code="overlap",
            )


def add_window(
    recipient: Recipient, accepted_id: int, weekday: int, start: time, end: time, *, actor: str
) -> ServiceWindow:
    with transaction.atomic():
        accepted = _own_accepted(recipient, accepted_id)
        before = list(accepted.windows.all())
        check_window(before, weekday, start, end)
        window = ServiceWindow.objects.create(
            accepted_nature=accepted, weekday=weekday, start=start, end=end
        )
        _record(
            WINDOW_ADDED,
            recipient,
            actor=actor,
            nature=accepted.nature.code,
            message=gettext("Plage horaire ajoutée pour %(nature)s : %(window)s")
            % {"nature": accepted.nature.label, "window": window_text(weekday, start, end)},
            old=_windows_value(before),
            new=_windows_value([*before, window]),
        )
    return window


def remove_window(recipient: Recipient, window_id: int, *, actor: str) -> ServiceWindow:
    with transaction.atomic():
        window = (
            ServiceWindow.objects.select_for_update()
            .select_related("accepted_nature__nature")
            .filter(pk=window_id, accepted_nature__recipient=recipient)
            .first()
        )
        if window is None:
            raise SettingNotFound(window_id)
        accepted = window.accepted_nature
        before = list(accepted.windows.all())
        window.delete()
        after = [w for w in before if w.pk != window_id]
        message = gettext("Plage horaire retirée pour %(nature)s : %(window)s") % {
            "nature": accepted.nature.label,
            "window": window_text(window.weekday, window.start, window.end),
        }
        if not after:
            message += " " + gettext("(plus aucune plage : à toute heure légale)")
        _record(
            WINDOW_REMOVED,
            recipient,
            actor=actor,
            nature=accepted.nature.code,
            message=message,
            old=_windows_value(before),
            new=_windows_value(after),
        )
    return window


# --- alert contacts --------------------------------------------------------------------------

CONTACT_FIELDS = ("email", "mobile")


def change_contacts(recipient: Recipient, *, email: str, mobile: str, actor: str) -> bool:
    """New alert email and mobile (already validated and normalized by the form); False when
    nothing changed (nothing journaled)."""
    with transaction.atomic():
        current = Recipient.objects.select_for_update().get(pk=recipient.pk)
        old = {field: getattr(current, field) for field in CONTACT_FIELDS}
        new = {"email": email, "mobile": mobile}
        if old == new:
            return False
        for field, value in new.items():
            setattr(current, field, value)
        current.save(update_fields=[*CONTACT_FIELDS, "updated_at"])
        changed = [field for field in CONTACT_FIELDS if old[field] != new[field]]
        labels = {"email": gettext("adresse électronique"), "mobile": gettext("mobile")}
        parts = [
            gettext("%(what)s « %(old)s » → « %(new)s »")
            % {"what": labels[field], "old": old[field] or "—", "new": new[field] or "—"}
            for field in changed
        ]
        _record(
            CONTACTS_CHANGED,
            recipient,
            actor=actor,
            message=gettext("Contacts d'alerte modifiés par %(recipient)s : %(changes)s")
            % {"recipient": recipient.name, "changes": " ; ".join(parts)},
            old={field: old[field] for field in changed},
            new={field: new[field] for field in changed},
        )
    for field, value in new.items():
        setattr(recipient, field, value)
    return True


def contacts_instance(recipient: Recipient) -> Recipient:
    """A copy for a ModelForm to validate into: the signed-in recipient is left unchanged
    until the change is saved."""
    return copy.copy(recipient)
