"""The events feed of a practice, and of a recipient, derived from the evidence journal.

Every event of a signification is already a journal entry (``evidence.journal``); the feed
names those that a practice's (or a bank's) software follows — submitted, converted, signed,
deposited, alerted, opened, delivered *à personne* / *à domicile*, return received… (see
``EVENTS``) — and numbers them.

**Why not the journal's own numbers as the cursor.** An entry's number is taken when it is
appended and the entry appears when its transaction commits: on PostgreSQL, entry 11 may
commit (and be read by a client, who then asks for "after 11") while entry 10 is still in
an open transaction — 10 would never be seen. So the feed has its own numbering, given by
one indexer at a time (``index_journal``, under the lock of the ``FeedState`` row) in the
order it *reads* the entries: an event committed late gets a number above every number
already handed out, and a cursor never skips one.

The indexer reads the entries after ``FeedState.scanned`` by number; a number missing below
the last one read is a *gap* (an append rolled back, or a transaction still open), kept
with the time it was first missed and looked up again at every run, for
``SECURACT_FEED_GAP_SECONDS`` (then given up: no transaction of the platform stays open
that long). On SQLite appends are numbered under the database's write lock, so there is no
such gap.

``index_journal`` runs before each read of a feed and every few seconds in the workers
(``edi.dispatcher``, which then hands new events to the webhooks).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from securact.directory.models import Practice, Recipient
from securact.edi.models import FeedEvent, FeedState
from securact.evidence.journal import Action
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification
from securact.significations.visibility import recipient_sees

Event = FeedEvent.Event

# Journal action → the feed's event.
EVENTS: dict[str, str] = {
    Action.SUBMITTED: Event.SUBMITTED,
    Action.CONVERTED: Event.CONVERTED,
    Action.SIGNED: Event.SIGNED,
    Action.DEPOSITED: Event.DEPOSITED,
    "data_message.deposited": Event.DATA_MESSAGE_DEPOSITED,
    Action.EMAIL_SENT: Event.ALERTED,
    Action.SMS_SENT: Event.ALERTED,
    "alert.email.failed": Event.ALERT_FAILED,
    "alert.sms.failed": Event.ALERT_FAILED,
    Action.DEPOSIT_CERTIFICATE_CREATED: Event.DEPOSIT_CERTIFICATE,
    Action.ARCHIVED: Event.ARCHIVED,
    Action.OPENED: Event.OPENED,
    Action.DELIVERED_IN_PERSON: Event.DELIVERED_IN_PERSON,
    Action.DELIVERED_AT_HOME: Event.DELIVERED_AT_HOME,
    Action.DELIVERY_CERTIFICATE_CREATED: Event.DELIVERY_CERTIFICATE,
    Action.ACT_RETURN_RECEIVED: Event.RETURN_RECEIVED,
    Action.ACT_RETURN_DEPOSITED: Event.RETURN_DEPOSITED,
}
# What of an entry's data the feed repeats (never addresses, names or messages), and its
# name in the feed.
DETAILS = {"file": "fichier", "sha256": "sha256", "size": "taille"}
READ_BATCH = 2000
# A jump in the numbers larger than this is not a gap (the benchmark's seed moves the
# counter): its numbers will never be appended.
MAX_GAP = 1000
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


# --- indexing -----------------------------------------------------------------------------


def index_journal(*, limit: int = READ_BATCH) -> int:
    """Read the journal's new entries (at most ``limit``) into the feed; how many events
    were added. Returns 0 at once when another process is indexing, or nothing is new."""
    state, _created = FeedState.objects.get_or_create(pk=1)
    if not state.gaps and not JournalEntry.objects.filter(sequence__gt=state.scanned).exists():
        return 0  # no lock taken (a feed's read on SQLite would take the write lock)
    with transaction.atomic():
        locked = _locked_state()
        if locked is None:
            return 0
        added = _fill_gaps(locked) + _read_new(locked, limit)
        locked.save(update_fields=["scanned", "gaps"])
    return added


def index_all(max_rounds: int = 100) -> int:
    """Index until the journal is read to its end (or another process is at it)."""
    total = 0
    for _round in range(max_rounds):
        before = _scanned()
        total += index_journal()
        if _scanned() == before:
            break
    return total


def _scanned() -> int:
    return FeedState.objects.filter(pk=1).values_list("scanned", flat=True).first() or 0


def _locked_state() -> FeedState | None:
    rows = FeedState.objects.filter(pk=1)
    if connection.vendor == "postgresql":
        return rows.select_for_update(skip_locked=True).first()
    return rows.first()  # SQLite: the transaction holds the database's write lock


_COLUMNS = ("sequence", "recorded_at", "action", "signification_id", "data")
Row = tuple[int, datetime, str, int | None, Any]


def _fill_gaps(state: FeedState) -> int:
    if not state.gaps:
        return 0
    gaps = {int(number): float(first) for number, first in state.gaps.items()}
    rows: list[Row] = list(
        JournalEntry.objects.filter(sequence__in=list(gaps)).values_list(*_COLUMNS)
    )
    found = {row[0] for row in rows}
    oldest = time.time() - float(settings.SECURACT_FEED_GAP_SECONDS)
    state.gaps = {
        str(number): first
        for number, first in gaps.items()
        if number not in found and first >= oldest
    }
    return _add(sorted(rows, key=lambda row: row[0]))


def _read_new(state: FeedState, limit: int) -> int:
    rows: list[Row] = list(
        JournalEntry.objects.filter(sequence__gt=state.scanned)
        .order_by("sequence")
        .values_list(*_COLUMNS)[:limit]
    )
    if not rows:
        return 0
    now, expected = time.time(), state.scanned + 1
    gaps = dict(state.gaps)
    for row in rows:
        if 0 < row[0] - expected <= MAX_GAP:
            gaps.update({str(number): now for number in range(expected, row[0])})
        expected = row[0] + 1
    state.gaps, state.scanned = gaps, rows[-1][0]
    return _add(rows)


def _add(rows: Iterable[Row]) -> int:
    events = [row for row in rows if row[2] in EVENTS and row[3] is not None]
    if not events:
        return 0
    owners = {
        pk: (practice, recipient)
        for pk, practice, recipient in Signification.objects.filter(
            pk__in={row[3] for row in events}
        ).values_list("pk", "practice_id", "recipient_id")
    }
    known = set(
        FeedEvent.objects.filter(sequence__in=[row[0] for row in events]).values_list(
            "sequence", flat=True
        )
    )
    new = [
        FeedEvent(
            sequence=sequence,
            signification_id=signification_id,
            practice_id=owners[signification_id][0],
            recipient_id=owners[signification_id][1],
            recipient_sees=recipient_sees(action),
            event=EVENTS[action],
            recorded_at=recorded_at,
            data=_details(action, data),
        )
        for sequence, recorded_at, action, signification_id, data in events
        if sequence not in known and signification_id in owners
    ]
    FeedEvent.objects.bulk_create(new)  # in reading order: their ids follow it
    return len(new)


def _details(action: str, data: Any) -> dict[str, Any]:
    details = {
        name: data[key]
        for key, name in DETAILS.items()
        if isinstance(data, dict) and isinstance(data.get(key), str | int)
    }
    if action.startswith("alert."):
        details["canal"] = action.split(".")[1]
    return details


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventPage:
    """Events after a cursor, oldest first; ``cursor``: give it back as ``since`` for the
    next page (the last event's id, or ``since`` itself when there was none)."""

    events: list[dict[str, Any]]
    cursor: int
    has_more: bool


def event_payload(event: FeedEvent) -> dict[str, Any]:
    """An event as the API's feed and the webhooks give it (JSON, docs/edi-api.md):
    ``curseur`` is its place in the feed (give it back as ``curseur`` to read what follows)."""
    signification = event.signification
    return {
        "curseur": str(event.pk),
        "type": event.event,
        "signification": event.signification_id,
        "reference": signification.reference,
        "etude": signification.practice.code,
        "destinataire_siret": signification.recipient.siret,
        "date": event.recorded_at.isoformat(),
        "entree_journal": event.sequence,
        "donnees": event.data,
    }


def _page(events: QuerySet[FeedEvent], since: int, limit: int) -> EventPage:
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = list(
        events.filter(id__gt=max(0, int(since)))
        .select_related("signification__practice", "signification__recipient")
        .order_by("id")[: limit + 1]
    )
    shown = rows[:limit]
    return EventPage(
        events=[event_payload(event) for event in shown],
        cursor=shown[-1].pk if shown else max(0, int(since)),
        has_more=len(rows) > limit,
    )


def practice_events(
    practice: Practice, since: int = 0, limit: int = DEFAULT_LIMIT, *, refresh: bool = True
) -> EventPage:
    """The events of ``practice``'s significations after the cursor ``since``."""
    if refresh:
        index_journal()
    return _page(FeedEvent.objects.filter(practice=practice), since, limit)


def recipient_events(
    recipient: Recipient, since: int = 0, limit: int = DEFAULT_LIMIT, *, refresh: bool = True
) -> EventPage:
    """The events a recipient sees of the significations served on it (from the deposit
    on: never the submission, conversion or signature) after the cursor ``since``."""
    if refresh:
        index_journal()
    return _page(FeedEvent.objects.filter(recipient=recipient, recipient_sees=True), since, limit)


def owner_events(practice_id: int | None, recipient_id: int | None) -> QuerySet[FeedEvent]:
    """The feed of a webhook's owner (a practice, or a recipient's visible events)."""
    if practice_id is not None:
        return FeedEvent.objects.filter(practice_id=practice_id)
    if recipient_id is not None:
        return FeedEvent.objects.filter(recipient_id=recipient_id, recipient_sees=True)
    return FeedEvent.objects.none()


def last_event_id() -> int:
    """The feed's end (a new webhook starts there: it gets the events that follow)."""
    index_journal()
    return FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
