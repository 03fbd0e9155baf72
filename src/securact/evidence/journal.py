"""Append to the evidence journal (SPEC "Evidence", DESIGN "Evidence", docs/evidence-log.md).

Every event of a signification's history is one entry, in canonical format 2 (see
:mod:`securact.evidence.canonical`), and one leaf of the journal's RFC 9162 Merkle tree
(:mod:`securact.evidence.tree`). Appending takes no platform-wide lock: the entry's number
comes from a counter (PostgreSQL: the sequence ``evidence_journal_number``; SQLite, whose
writes are serialised anyway: ``MAX + 1`` in the write transaction), and the entry and its
pending row are inserted in the caller's transaction. Once that transaction commits, the
entry is integrated into the tree (at once if no other integration is running, else by the
next one). A rolled-back append leaves a gap in the numbers, never in the tree.

Checking the journal (entries against leaves, leaves against the tree's head) is
:mod:`securact.evidence.checking` (``securact check_journal``).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from securact.evidence import canonical, tree, tree_storage
from securact.evidence.models import JournalEntry
from securact_verifier.merkle import leaf_hash

NUMBER_SEQUENCE = "evidence_journal_number"

PLATFORM_ACTOR = "platform"


class Action:
    """Action codes of the F6 history, so every caller spells them alike."""

    SUBMITTED = "signification.submitted"
    # The acts converted to PDF/A, then signed (each once, with the files' SHA-256).
    CONVERTED = "signification.converted"
    SIGNED = "signification.signed"
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
    # The recipient's system acknowledged the deposit (F9.2); it decides no delivery.
    ACKNOWLEDGED = "deposit.acknowledged"
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
    """Record one event and return its entry. Works inside the caller's atomic block: the
    entry exists (and is integrated into the tree) only if that block commits."""
    _check_actor_and_action(actor, action)
    payload = dict(data or {})
    if action in ETSI_EVENTS:
        payload.setdefault("etsi_event", ETSI_EVENTS[action])
    canonical.check_json_value(payload)
    if connection.vendor == "postgresql":
        # Two statements and no lock: the number, then the entry and its pending row
        # together (one statement, so atomic even in autocommit).
        entry, content = _entry(next_number(), action, actor, signification_id, payload)
        _insert(entry, content, _PENDING_WITH_ENTRY)
    else:
        with transaction.atomic(savepoint=False):  # SQLite: the write lock numbers
            entry, content = _entry(next_number(), action, actor, signification_id, payload)
            _insert(entry, content, _PENDING_AFTER_ENTRY)
    transaction.on_commit(tree.integrate_soon)
    return entry


_ENTRY_INSERT = (
    "INSERT INTO evidence_journalentry (sequence, recorded_at, actor, signification_id, "
    "action, data, previous_hash, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_PENDING_INSERT = "INSERT INTO evidence_journalpending (sequence, leaf_hash) VALUES (%s, %s)"
_PENDING_WITH_ENTRY = [f"WITH entry AS ({_ENTRY_INSERT}) {_PENDING_INSERT}"]
_PENDING_AFTER_ENTRY = [_ENTRY_INSERT, _PENDING_INSERT]
_DATA = JournalEntry._meta.get_field("data")


def _entry(
    sequence: int, action: str, actor: str, signification_id: int | None, data: dict[str, Any]
) -> tuple[JournalEntry, bytes]:
    """The entry (hashed, not stored) and its canonical bytes."""
    entry = JournalEntry(
        sequence=sequence,
        recorded_at=timezone.now(),
        actor=actor,
        signification_id=signification_id,
        action=action,
        data=data,
        previous_hash=canonical.NO_PREVIOUS_HASH,
    )
    content = entry.canonical_bytes()
    entry.entry_hash = hashlib.sha256(content).hexdigest()
    return entry, content


def _insert(entry: JournalEntry, content: bytes, statements: list[str]) -> None:
    """Insert the entry and its pending row (the statements, in the caller's transaction),
    as ``JournalEntry.save`` would, minus the ORM's overhead on the platform's hot path."""
    values: list[Any] = [
        entry.sequence,
        connection.ops.adapt_datetimefield_value(entry.recorded_at),
        entry.actor,
        entry.signification_id,
        entry.action,
        _DATA.get_db_prep_save(entry.data, connection),
        entry.previous_hash,
        entry.entry_hash,
    ]
    pending: list[Any] = [entry.sequence, leaf_hash(content)]
    if len(statements) == 1:  # PostgreSQL: bound and prepared on the server
        with tree_storage.bound_cursor() as cursor:
            cursor.execute(statements[0], [*values, *pending])
    else:
        with connection.cursor() as cursor:
            cursor.execute(statements[0], values)
            cursor.execute(statements[1], pending)
    entry._state.adding = False  # saved: save() now refuses, as for any stored entry
    entry._state.db = connection.alias


def next_number() -> int:
    """The next entry's number (call it inside the appending transaction)."""
    if connection.vendor == "postgresql":
        with tree_storage.bound_cursor() as cursor:  # prepared on the server
            cursor.execute(f"SELECT nextval('{NUMBER_SEQUENCE}')")
            row = cursor.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(sequence), 0) + 1 FROM evidence_journalentry")
            row = cursor.fetchone()
    return int(row[0])


def set_last_number(number: int) -> None:
    """After a bulk load numbered up to ``number`` by hand (the benchmark's seed): the next
    append gets ``number + 1`` (SQLite: already so)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s)", [NUMBER_SEQUENCE, number])


def _check_actor_and_action(actor: str, action: str) -> None:
    if actor != PLATFORM_ACTOR and not _FINGERPRINT.fullmatch(actor):
        raise ValueError(f"actor must be a lowercase SHA-256 fingerprint or {PLATFORM_ACTOR!r}")
    if len(action) > _MAX_ACTION or not _ACTION.fullmatch(action):
        raise ValueError(f"action code {action!r} is not like 'signification.deposited'")


def entries_for(signification_id: int) -> QuerySet[JournalEntry]:
    """The history of one signification (F6), oldest first."""
    return JournalEntry.objects.filter(signification_id=signification_id).order_by("sequence")
