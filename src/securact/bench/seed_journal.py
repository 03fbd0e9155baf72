"""The evidence journal of the page benchmark's significations: the entries the service
appends (submitted; deposited, one per act; alert email and SMS; deposit certificate;
archive; the opening and download *à personne*, or none; the delivery decision and its
certificate; the act return), with the data each service records, in time order across
all significations.

The journal is a hash chain (``evidence.journal``): each entry is hashed here with
``canonical.entry_hash``, exactly as ``journal.append`` hashes it, chained from the
current head, and the rows are inserted in bulk under the head's lock (``SELECT … FOR
UPDATE``, as ``append`` takes it); the head is moved to the last entry in the same
transaction. ``check_sample`` re-reads entries and recomputes their hashes and links.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.db import transaction

from securact.bench import bulk
from securact.bench.seed_significations import Drawn
from securact.evidence import canonical
from securact.evidence.journal import ETSI_EVENTS, PLATFORM_ACTOR, Action, check_chain
from securact.evidence.models import HEAD_ID, JournalEntry, JournalHead
from securact.significations.models import DeliveryState

ENTRY_FIELDS = (
    "sequence",
    "recorded_at",
    "actor",
    "signification_id",
    "action",
    "data",
    "previous_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class Event:
    at: datetime
    order: int  # ties keep the order events were made in
    signification_id: int
    actor: str
    action: str
    data: dict[str, Any]


def events_of(item: Drawn, tick: Iterator[int], rng: random.Random) -> Iterator[Event]:
    """What the service process journals for one signification, in its order."""
    files = [{"name": name, "size": size} for name, _kind, size in item.files]
    submitted = {
        "reference": item.reference,
        "recipient": item.recipient.name,
        "siret": item.recipient.siret,
        "nature": item.nature.code,
        "source": item.source,
        "files": files,
    }
    yield _event(item.created_at, tick, item, item.bailiff.fingerprint, Action.SUBMITTED, submitted)
    if item.sent_at is None:
        return
    sent = item.sent_at
    for offset, (name, (_original, _kind, size)) in enumerate(
        zip(item.deposited_names(), item.files, strict=True)
    ):
        deposited = {
            "file": name,
            "sha256": _sha(rng),
            "size": size,
            "nature": item.nature.label,
            "recipient": item.recipient.name,
            "message": f"Fichier {name} ({item.nature.label}) déposé dans le coffre "
            f"destinataire {item.recipient.name}",
        }
        at = sent + timedelta(milliseconds=20 * offset)
        yield _event(at, tick, item, item.bailiff.fingerprint, Action.DEPOSITED, deposited)
    alert = {"to": item.recipient.email, "provider_id": f"<{item.id}.{_sha(rng)[:12]}@securact>"}
    yield _event(sent + timedelta(seconds=2), tick, item, PLATFORM_ACTOR, Action.EMAIL_SENT, alert)
    if item.recipient.mobile:
        sms = {"to": item.recipient.mobile, "provider_id": f"sms-{_sha(rng)[:16]}"}
        yield _event(sent + timedelta(seconds=3), tick, item, PLATFORM_ACTOR, Action.SMS_SENT, sms)
    certificate = {
        "file": "attestation_depot.xml",
        "sha256": _sha(rng),
        "message": "Création de l'attestation de dépôt",
    }
    yield _event(
        sent + timedelta(seconds=4),
        tick,
        item,
        PLATFORM_ACTOR,
        Action.DEPOSIT_CERTIFICATE_CREATED,
        certificate,
    )
    archive = item.archive_name()
    archived = {
        "file": archive,
        "sha256": _sha(rng),
        "message": f"Fichier {archive} ({item.nature.label}) déposé dans votre coffre pour "
        "archivage",
    }
    yield _event(sent + timedelta(seconds=5), tick, item, PLATFORM_ACTOR, Action.ARCHIVED, archived)
    yield from _delivery_events(item, tick, rng)
    if item.returned_at is not None:
        name = f"{item.stem()}_{item.nature.return_label}.pdf"
        returned = {
            "file": name,
            "sha256": _sha(rng),
            "size": rng.randint(40_000, 900_000),
            "deadline": (item.returned_at + timedelta(days=5)).date().isoformat(),
            "on_time": True,
            "message": f"Réponse déposée par le destinataire : {name}, déposé dans le "
            "coffre-fort du commissaire de justice",
        }
        yield _event(
            item.returned_at,
            tick,
            item,
            item.recipient.fingerprint,
            Action.ACT_RETURN_DEPOSITED,
            returned,
        )


def _delivery_events(item: Drawn, tick: Iterator[int], rng: random.Random) -> Iterator[Event]:
    """The recipient's first download (the opening, then the download itself) and the
    decision at it, or the decision at the deadline; then the sealed delivery certificate."""
    if item.delivered_at is None or item.sent_at is None:
        return
    at, recipient = item.delivered_at, item.recipient
    first = item.deposited_names()[0]
    deadline = item.sent_at + timedelta(hours=24)
    in_person = item.delivery_state == DeliveryState.IN_PERSON
    if in_person:
        opened = {"file": first, "at": at.isoformat()}
        yield _event(
            at,
            tick,
            item,
            recipient.fingerprint,
            Action.OPENED,
            {
                **opened,
                "message": f"Première ouverture de l'acte {first} par le destinataire "
                f"{recipient.name}",
            },
        )
        yield _event(
            at,
            tick,
            item,
            recipient.fingerprint,
            Action.DOWNLOADED,
            {
                **opened,
                "message": f"Téléchargement de {first} par le destinataire {recipient.name}",
            },
        )
    decision = {
        "mode": item.delivery_state,
        "rule": "24h",
        "deadline": deadline.isoformat(),
        "delivered_at": at.isoformat(),
        "opened_at": at.isoformat() if in_person else None,
        "message": (
            f"Remise à personne : acte ouvert par le destinataire {recipient.name}"
            if in_person
            else f"Remise à domicile : acte non ouvert par le destinataire {recipient.name}"
        ),
    }
    action = Action.DELIVERED_IN_PERSON if in_person else Action.DELIVERED_AT_HOME
    yield _event(at, tick, item, PLATFORM_ACTOR, action, decision)
    name = f"{item.stem()}_REMISE.pdf"
    certificate = {
        "file": name,
        "sha256": _sha(rng),
        "size": rng.randint(60_000, 200_000),
        "mode": item.delivery_state,
        "message": f"Création de l'attestation de remise {name}, déposée dans votre coffre",
    }
    yield _event(
        at + timedelta(seconds=30),
        tick,
        item,
        PLATFORM_ACTOR,
        Action.DELIVERY_CERTIFICATE_CREATED,
        certificate,
    )


def _event(
    at: datetime, tick: Iterator[int], item: Drawn, actor: str, action: str, data: dict[str, Any]
) -> Event:
    if action in ETSI_EVENTS:  # as journal.append adds it
        data.setdefault("etsi_event", ETSI_EVENTS[action])
    return Event(at, next(tick), item.id, actor, action, data)


def _sha(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def in_time_order(drawn: list[Drawn], rng: random.Random) -> Iterator[Event]:
    """Every event, oldest first. Significations come in creation order and none of their
    events precede their creation, so an event is final once the creation times have
    passed it: a heap holds only the events of the last day or so."""
    # (time, order, event): tuples compare in C, the events' order breaks ties of times.
    pending: list[tuple[datetime, int, Event]] = []
    tick = count()
    for item in drawn:
        while pending and pending[0][0] <= item.created_at:
            yield heapq.heappop(pending)[2]
        for event in events_of(item, tick, rng):
            heapq.heappush(pending, (event.at, event.order, event))
    while pending:
        yield heapq.heappop(pending)[2]


def _chained(
    events: Iterator[Event], sequence: int, previous: str, last: list[Any]
) -> Iterator[tuple[Any, ...]]:
    """The entries' rows, hashed and chained; ``last`` receives the final (sequence, hash)."""
    for event in events:
        sequence += 1
        hashed = canonical.canonical_bytes(
            sequence=sequence,
            recorded_at=event.at,
            actor=event.actor,
            signification_id=event.signification_id,
            action=event.action,
            data=event.data,
            previous_hash=previous,
        )
        entry_hash = hashlib.sha256(hashed).hexdigest()  # canonical.entry_hash, computed once
        yield (
            sequence,
            event.at,
            event.actor,
            event.signification_id,
            event.action,
            _data_json(hashed),
            previous,
            entry_hash,
        )
        previous = entry_hash
    last[:] = [sequence, previous]


def _data_json(hashed: bytes) -> str:
    """The entry's data as stored: its own canonical JSON, cut from the canonical bytes
    (keys sorted: "data" follows "actor", and "previous_hash", the last key that can follow
    a data object, comes right after it), rather than serialised a second time."""
    start = hashed.index(b',"data":') + len(b',"data":')
    end = hashed.rindex(b',"previous_hash":"')
    return hashed[start:end].decode("utf-8")


def append_all(drawn: list[Drawn], rng: random.Random) -> int:
    """Append the significations' entries after the journal's current head; returns how
    many."""
    with transaction.atomic():
        head = _locked_head()
        latest = _last_time()
        if latest is not None and latest > drawn[0].created_at:
            raise RuntimeError("the journal already holds later entries: seed a fresh database")
        last: list[Any] = []
        rows = _chained(in_time_order(drawn, rng), head.sequence, head.entry_hash, last)
        inserted = bulk.insert(JournalEntry, ENTRY_FIELDS, rows)
        JournalHead.objects.filter(pk=HEAD_ID).update(sequence=last[0], entry_hash=last[1])
    return inserted


def _locked_head() -> JournalHead:
    JournalHead.objects.bulk_create(
        [JournalHead(pk=HEAD_ID, sequence=0, entry_hash=canonical.GENESIS_HASH)],
        ignore_conflicts=True,
    )
    return JournalHead.objects.select_for_update().get(pk=HEAD_ID)


def _last_time() -> datetime | None:
    return JournalEntry.objects.order_by("-sequence").values_list("recorded_at", flat=True).first()


def check_sample(size: int = 2000) -> int:
    """Recompute the hash and the link of the first and last ``size`` entries and of
    ``size`` entries in the middle (the whole chain is ``securact check_journal``); returns
    how many were checked. Raises ``RuntimeError`` on the first mismatch."""
    head = JournalHead.objects.get(pk=HEAD_ID)
    middle = max(1, head.sequence // 2 - size // 2)
    checked = 0
    for start in (1, middle, max(1, head.sequence - size + 1)):
        entries = list(JournalEntry.objects.filter(sequence__gte=start).order_by("sequence")[:size])
        for before, entry in zip([None, *entries], entries, strict=False):
            if entry.computed_hash() != entry.entry_hash:
                raise RuntimeError(f"journal entry {entry.sequence}: hash does not match")
            if before is not None and entry.previous_hash != before.entry_hash:
                raise RuntimeError(f"journal entry {entry.sequence}: link broken")
            checked += 1
    if head.entry_hash != JournalEntry.objects.get(sequence=head.sequence).entry_hash:
        raise RuntimeError("journal head does not match the last entry")
    return checked


def check_whole() -> int:
    """The full chain check (``securact check_journal``'s): for small seeds."""
    report = check_chain(max_problems=1)
    if not report.intact:
        raise RuntimeError(report.problems[0].message)
    return report.entries
