"""Each worker's integrator thread gives their leaves to the entries whose own integration,
after their commit, was skipped."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from securact.evidence import tree
from securact.evidence.integrator import start_integrator
from securact.evidence.models import JournalPending
from tests.evidence.seeded_tree import SeededTree


@pytest.mark.django_db(transaction=True)
def test_the_integrator_thread_integrates_what_waits() -> None:
    seeded = SeededTree()
    seeded.load(3)
    JournalPending.objects.bulk_create(  # committed: what skipped appends leave
        [JournalPending(sequence=n, leaf_hash=bytes([n]) * 32) for n in (10, 11)]
    )
    integrator = start_integrator(0.05)
    assert integrator is not None
    try:
        deadline = time.monotonic() + 10
        while JournalPending.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        integrator.stop()
        integrator.join(5)
    connection.close()

    assert not JournalPending.objects.exists()
    assert tree.current_head().size == 5
    assert [tree.leaf_index_of(n) for n in (10, 11)] == [3, 4]


def test_no_integrator_when_switched_off() -> None:
    assert start_integrator(0) is None
