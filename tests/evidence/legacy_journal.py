"""Entries as they were written before issue 12 (format 1, hash-chained), made a tree the
way migration 0002 upgrades an existing journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from securact.evidence import canonical
from securact.evidence.models import JournalEntry

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def legacy_entries(count: int) -> list[JournalEntry]:
    """``count`` chained format 1 entries numbered 1…count (an empty journal expected)."""
    entries, previous = [], canonical.GENESIS_HASH
    for number in range(1, count + 1):
        entry = JournalEntry(
            sequence=number,
            recorded_at=START + timedelta(minutes=number),
            actor="platform",
            signification_id=number % 3 or None,
            action="signification.deposited",
            data={"file": f"9991_REF{number}_20261102_100000.pdf", "size": 1000 + number},
            previous_hash=previous,
        )
        entry.entry_hash = entry.computed_hash()
        entry.save()
        entries.append(entry)
        previous = entry.entry_hash
    return entries


def upgrade_to_tree() -> None:
    """Migration 0002's integration of the existing entries, on this connection."""
    migration = import_module("securact.evidence.migrations.0002_merkle")
    migration.integrate_existing_entries(apps, SimpleNamespace(connection=connection))
