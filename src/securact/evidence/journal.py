"""Append to and check the evidence journal (SPEC "Evidence", DESIGN "Evidence").

Every event of a signification's history is one entry. Entries are numbered 1, 2, 3, …
without gaps and each carries the SHA-256 of its canonical form, which includes the hash of
the entry before (see :mod:`securact.evidence.canonical`): changing, removing or inserting
an entry anywhere breaks the chain from that point on.

Appending is serialised: on PostgreSQL by locking the single :class:`JournalHead` row
(``SELECT … FOR UPDATE``), on SQLite by the IMMEDIATE transaction every write already takes.
The lock is held until the caller's transaction ends, so append at the end of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.evidence import canonical
from securact.evidence.models import HEAD_ID, JournalEntry, JournalHead

PLATFORM_ACTOR = "platform"


class Action:
    """Action codes of the F6 history, so every caller spells them alike."""

    SUBMITTED = "signification.submitted"
    DEPOSITED = "signification.deposited"
    EMAIL_SENT = "alert.email.sent"
    SMS_SENT = "alert.sms.sent"
    DEPOSIT_CERTIFICATE_CREATED = "deposit_certificate.created"
    ARCHIVED = "signification.archived"
    # The recipient's first download (CPC 663: the opening time), then every download.
    OPENED = "act.opened"
    DOWNLOADED = "act.downloaded"
    # The delivery decision (F6.3), taken once, and its sealed certificate.
    DELIVERED_IN_PERSON = "delivery.in_person"
    DELIVERED_AT_HOME = "delivery.at_home"
    DELIVERY_CERTIFICATE_CREATED = "delivery_certificate.created"
    # The recipient's answer (F6.4, *retour d'acte*), and the bailiff's mainlevée that ends
    # the wait for one.
    ACT_RETURN_RECEIVED = "act_return.received"
    ACT_RETURN_DEPOSITED = "act_return.deposited"
    RELEASE_RECORDED = "seizure.release_recorded"


# ETSI EN 319 522 evidence event names for the actions where one fits (LEGAL.md); append()
# adds it to the data as "etsi_event" unless the caller gave one.
ETSI_EVENTS: dict[str, str] = {
    Action.SUBMITTED: "SubmissionAcceptance",
    Action.DEPOSITED: "ContentConsignment",
    Action.EMAIL_SENT: "NotificationDelivered",
    Action.SMS_SENT: "NotificationDelivered",
    Action.OPENED: "ContentHandover",
    Action.DOWNLOADED: "ContentAccessTracking",
}

_CHUNK = 2000
_MAX_ACTION = JournalEntry._meta.get_field("action").max_length or 100
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def append(
    action: str,
    *,
    actor: str,
    signification_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> JournalEntry:
    """Record one event and return its entry. Works inside the caller's atomic block."""
    _check_actor_and_action(actor, action)
    payload = dict(data or {})
    if action in ETSI_EVENTS:
        payload.setdefault("etsi_event", ETSI_EVENTS[action])
    canonical.check_json_value(payload)  # refuse before taking the lock
    with transaction.atomic():
        head = _locked_head()
        entry = JournalEntry(
            sequence=head.sequence + 1,
            recorded_at=timezone.now(),  # after the lock: times follow sequence numbers
            actor=actor,
            signification_id=signification_id,
            action=action,
            data=payload,
            previous_hash=head.entry_hash,
        )
        entry.entry_hash = entry.computed_hash()
        entry.save()
        JournalHead.objects.filter(pk=HEAD_ID).update(
            sequence=entry.sequence, entry_hash=entry.entry_hash
        )
    return entry


def _check_actor_and_action(actor: str, action: str) -> None:
    if actor != PLATFORM_ACTOR and not _FINGERPRINT.fullmatch(actor):
        raise ValueError(f"actor must be a lowercase SHA-256 fingerprint or {PLATFORM_ACTOR!r}")
    if len(action) > _MAX_ACTION or not _ACTION.fullmatch(action):
        raise ValueError(f"action code {action!r} is not like 'signification.deposited'")


def _locked_head() -> JournalHead:
    """The head row, locked; created on first use from the last entry, if any."""
    head = JournalHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    last = JournalEntry.objects.order_by("-sequence").first()
    start = JournalHead(
        pk=HEAD_ID,
        sequence=last.sequence if last else 0,
        entry_hash=last.entry_hash if last else canonical.GENESIS_HASH,
    )
    # Two first appenders may race here: one insert wins, the other waits for it and
    # then locks the row the winner committed.
    JournalHead.objects.bulk_create([start], ignore_conflicts=True)
    return JournalHead.objects.select_for_update().get(pk=HEAD_ID)


def entries_for(signification_id: int) -> QuerySet[JournalEntry]:
    """The history of one signification (F6), oldest first."""
    return JournalEntry.objects.filter(signification_id=signification_id).order_by("sequence")


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks, and how, in French for the operator and the expert."""

    sequence: int
    kind: str  # "sequence" | "link" | "hash" | "head"
    message: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[ChainProblem]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(*, max_problems: int = 100) -> list[ChainProblem]:
    """Recompute every hash and link, oldest first; problems in sequence order."""
    return check_chain(max_problems=max_problems).problems


def check_chain(*, max_problems: int = 100) -> ChainReport:
    """Like :func:`verify_chain`, with the number of entries read."""
    # Read before the scan, so entries appended during it are no problem: the chain must
    # merely reach the head's sequence, with the head's hash.
    head = JournalHead.objects.filter(pk=HEAD_ID).first()
    watched = head.sequence if head else 0
    entries = JournalEntry.objects.order_by("sequence").iterator(chunk_size=_CHUNK)
    count, watched_hash, problems = _scan(entries, max_problems, watched)
    if head is not None and len(problems) < max_problems:
        problems.extend(_head_problems(head, watched_hash))
    return ChainReport(entries=count, problems=problems)


def _scan(
    entries: Iterable[JournalEntry], max_problems: int, watched: int
) -> tuple[int, str | None, list[ChainProblem]]:
    """Walk the chain; returns the count, the hash of entry n° ``watched``, the problems."""
    problems: list[ChainProblem] = []
    expected, previous, count = 1, canonical.GENESIS_HASH, 0
    watched_hash = None
    for entry in entries:
        problems.extend(_entry_problems(entry, expected, previous))
        if len(problems) >= max_problems:
            break
        if entry.sequence == watched:
            watched_hash = entry.entry_hash
        expected, previous, count = entry.sequence + 1, entry.entry_hash, count + 1
    return count, watched_hash, problems


def _entry_problems(entry: JournalEntry, expected: int, previous: str) -> list[ChainProblem]:
    problems = []
    if entry.sequence != expected:
        problems.append(
            ChainProblem(
                entry.sequence,
                "sequence",
                _("Entrée n° %(expected)d absente : la suivante porte le n° %(found)d.")
                % {"expected": expected, "found": entry.sequence},
            )
        )
    if entry.previous_hash != previous:
        problems.append(
            ChainProblem(
                entry.sequence,
                "link",
                _(
                    "Entrée n° %(seq)d : l'empreinte précédente enregistrée ne correspond "
                    "pas à celle de l'entrée qui la précède."
                )
                % {"seq": entry.sequence},
            )
        )
    if _recomputed_hash(entry) != entry.entry_hash:
        problems.append(
            ChainProblem(
                entry.sequence,
                "hash",
                _(
                    "Entrée n° %(seq)d : son contenu ne correspond plus à son empreinte "
                    "(entrée modifiée)."
                )
                % {"seq": entry.sequence},
            )
        )
    return problems


def _recomputed_hash(entry: JournalEntry) -> str | None:
    try:
        return entry.computed_hash()
    except canonical.NonCanonicalData:  # a value no append() could have written
        return None


def _head_problems(head: JournalHead, watched_hash: str | None) -> list[ChainProblem]:
    """Entries cut from the end leave a valid chain; the head row still remembers them."""
    if head.sequence == 0 or watched_hash == head.entry_hash:
        return []
    if watched_hash is None:
        message = _(
            "Le journal s'arrête avant l'entrée n° %(seq)d enregistrée comme dernière : "
            "des entrées finales ont disparu."
        )
    else:
        message = _("L'entrée n° %(seq)d ne correspond pas à la tête du journal.")
    return [ChainProblem(head.sequence, "head", message % {"seq": head.sequence})]
