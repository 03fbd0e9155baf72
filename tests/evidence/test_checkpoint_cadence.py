"""When a checkpoint is due: every SECURACT_CHECKPOINT_ENTRIES new entries, or
SECURACT_CHECKPOINT_MINUTES after the last one when anything is new, and every
SECURACT_CHECKPOINT_MAX_HOURS even with nothing new (then after a heartbeat entry)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from securact.evidence import checkpoints
from securact.evidence.checkpoint_models import Checkpoint
from securact.evidence.checkpoint_schedule import start_checkpoint_publisher
from securact.evidence.models import JournalEntry
from tests.evidence.checkpoint_helpers import journal_of

CADENCE = {
    "SECURACT_CHECKPOINT_ENTRIES": 10,
    "SECURACT_CHECKPOINT_MINUTES": 10,
    "SECURACT_CHECKPOINT_MAX_HOURS": 24,
}


def _published_at(checkpoint: Checkpoint, when) -> None:
    Checkpoint.objects.filter(pk=checkpoint.pk).update(created_at=when)


@pytest.mark.django_db
@override_settings(**CADENCE)
def test_the_first_entries_make_a_checkpoint_due_at_once() -> None:
    assert not checkpoints.checkpoint_due()
    journal_of(1)
    assert checkpoints.checkpoint_due()
    assert checkpoints.publish_checkpoint().tree_size == 1


@pytest.mark.django_db
@override_settings(**CADENCE)
def test_n_new_entries_make_a_checkpoint_due_before_m_minutes() -> None:
    journal_of(1)
    checkpoints.publish_checkpoint(force=True)
    journal_of(9)
    assert not checkpoints.checkpoint_due()
    assert checkpoints.publish_checkpoint() is None
    journal_of(1)
    assert checkpoints.checkpoint_due()
    assert checkpoints.publish_checkpoint().tree_size == 11


@pytest.mark.django_db
@override_settings(**CADENCE)
def test_anything_new_is_secured_after_m_minutes() -> None:
    journal_of(1)
    first = checkpoints.publish_checkpoint(force=True)
    journal_of(1)
    now = timezone.now()
    assert not checkpoints.checkpoint_due(now + timedelta(minutes=9))
    assert checkpoints.checkpoint_due(now + timedelta(minutes=10, seconds=1))
    _published_at(first, now - timedelta(minutes=11))
    assert checkpoints.publish_checkpoint().tree_size == 2


@pytest.mark.django_db
@override_settings(**CADENCE)
def test_with_nothing_new_a_day_later_a_heartbeat_is_checkpointed() -> None:
    journal_of(2)
    first = checkpoints.publish_checkpoint(force=True)
    now = timezone.now()
    assert not checkpoints.checkpoint_due(now + timedelta(hours=23))
    assert checkpoints.checkpoint_due(now + timedelta(hours=24, seconds=1))
    _published_at(first, now - timedelta(hours=25))

    daily = checkpoints.publish_checkpoint()

    assert daily is not None and daily.tree_size == 3 and daily.previous_id == first.pk
    last = JournalEntry.objects.order_by("-sequence").first()
    assert (last.action, last.actor, last.data) == (checkpoints.HEARTBEAT, "platform", {})
    assert not checkpoints.checkpoint_due()


@pytest.mark.django_db(transaction=True)
@override_settings(**{**CADENCE, "SECURACT_CHECKPOINT_ENTRIES": 3})
def test_the_workers_thread_publishes_when_due() -> None:
    publisher = start_checkpoint_publisher(poll=0.1)
    try:
        journal_of(3)
        deadline = time.monotonic() + 30
        while not Checkpoint.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        journal_of(2)
        time.sleep(1)  # two new entries: not due yet
        assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [3]
        journal_of(1)
        deadline = time.monotonic() + 30
        while Checkpoint.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        publisher.stop()
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [3, 6]
