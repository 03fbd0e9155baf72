"""The evidence journal of the page benchmark's significations: the entries the service
appends (submitted; deposited, one per act; alert email and SMS; deposit certificate;
archive; the opening and download *à personne*, or none; the delivery decision and its
certificate; the act return), with the data each service records, in time order across
all significations.

Each entry is made here in canonical format 2, exactly as ``journal.append`` makes it
(``canonical.canonical_bytes``; its hash, and its leaf hash for the journal's Merkle tree),
numbered after the journal's counter, and inserted in bulk, batch by batch: the entries by
COPY, then their leaves, tiles and the tree's head by ``evidence.tree.load`` (the same tile
code the integration runs, fed a batch at a time). The counter is moved past the last
number. ``check_sample`` re-reads entries, recomputes their hashes and leaves and checks
inclusion proofs against the tree's head.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count, islice
from typing import Any

from django.db import transaction

from securact.bench import bulk
from securact.bench.seed_significations import Drawn
from securact.evidence import canonical, journal, tree
from securact.evidence.checking import check_tree
from securact.evidence.journal import ETSI_EVENTS, PLATFORM_ACTOR, Action
from securact.evidence.models import JournalEntry, JournalLeaf
from securact.significations.models import DeliveryState
from securact_verifier.merkle import leaf_hash, verify_inclusion

# Entries hashed, inserted and made leaves per batch: bounds the memory of a large seed.
BATCH = 100_000
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


def entry_rows(
    events: Iterable[Event], first: int, leaves: list[tuple[int, bytes]]
) -> Iterator[tuple[Any, ...]]:
    """The entries' rows, numbered from ``first``; ``leaves`` receives each (sequence, leaf
    hash) in the same order."""
    for sequence, event in enumerate(events, first):
        content = canonical.canonical_bytes(
            sequence=sequence,
            recorded_at=event.at,
            actor=event.actor,
            signification_id=event.signification_id,
            action=event.action,
            data=event.data,
        )
        leaves.append((sequence, leaf_hash(content)))
        yield (
            sequence,
            event.at,
            event.actor,
            event.signification_id,
            event.action,
            _data_json(content),
            canonical.NO_PREVIOUS_HASH,
            hashlib.sha256(content).hexdigest(),  # canonical.entry_hash, computed once
        )


def _data_json(content: bytes) -> str:
    """The entry's data as stored: its own canonical JSON, cut from the canonical bytes
    (keys sorted: "data" follows "actor", and "format", the key after it, is followed by
    "recorded_at"), rather than serialised a second time."""
    start = content.index(b',"data":') + len(b',"data":')
    end = content.rindex(b',"format":2,"recorded_at":"')
    return content[start:end].decode("utf-8")


def load_events(events: Iterable[Event]) -> int:
    """Append these events as entries and leaves, a batch at a time; returns how many."""
    iterator = iter(events)
    first = journal.next_number()
    loaded = 0
    while batch := list(islice(iterator, BATCH)):
        leaves: list[tuple[int, bytes]] = []
        loaded += bulk.insert(JournalEntry, ENTRY_FIELDS, entry_rows(batch, first + loaded, leaves))
        tree.load(leaves)
    if loaded:
        journal.set_last_number(first + loaded - 1)
    return loaded


def append_all(drawn: list[Drawn], rng: random.Random) -> int:
    """Append the significations' entries after the journal's last; returns how many."""
    with transaction.atomic():
        latest = _last_time()
        if latest is not None and latest > drawn[0].created_at:
            raise RuntimeError("the journal already holds later entries: seed a fresh database")
        return load_events(in_time_order(drawn, rng))


def _last_time() -> datetime | None:
    return JournalEntry.objects.order_by("-sequence").values_list("recorded_at", flat=True).first()


def check_sample(size: int = 2000, proofs: int = 20) -> int:
    """Recompute the hash and the leaf of the first and last ``size`` entries and of
    ``size`` entries in the middle, and check ``proofs`` inclusion proofs among them
    against the tree's head (the whole journal is ``securact check_journal``); returns how
    many entries were checked. Raises ``RuntimeError`` on the first mismatch."""
    head = tree.tree_head()
    if tree.root_at(head.size) != head.root_hash:
        raise RuntimeError("journal head: the root does not follow from the tiles")
    last = JournalLeaf.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    middle = max(1, last // 2 - size // 2)
    checked = 0
    for start in (1, middle, max(1, last - size + 1)):
        entries = list(JournalEntry.objects.filter(sequence__gte=start).order_by("sequence")[:size])
        leaves = dict(
            JournalLeaf.objects.filter(sequence__in=[e.sequence for e in entries]).values_list(
                "sequence", "leaf_hash"
            )
        )
        for position, entry in enumerate(entries):
            content = entry.canonical_bytes()
            if hashlib.sha256(content).hexdigest() != entry.entry_hash:
                raise RuntimeError(f"journal entry {entry.sequence}: hash does not match")
            if bytes(leaves.get(entry.sequence, b"")) != leaf_hash(content):
                raise RuntimeError(f"journal entry {entry.sequence}: leaf does not match")
            if position % max(1, size // proofs) == 0:
                _check_proof(entry.sequence, head)
            checked += 1
    return checked


def _check_proof(sequence: int, head: tree.TreeHead) -> None:
    proof = tree.inclusion_proof(sequence, head.size)
    try:
        verify_inclusion(proof.leaf_hash, proof.leaf_index, head.size, proof.hashes, head.root_hash)
    except ValueError as failed:
        raise RuntimeError(f"journal entry {sequence}: inclusion proof fails ({failed})") from None


def check_whole() -> int:
    """The full check (``securact check_journal``'s): for small seeds."""
    report = check_tree(max_problems=1)
    if not report.intact:
        raise RuntimeError(report.problems[0].message)
    return report.entries
