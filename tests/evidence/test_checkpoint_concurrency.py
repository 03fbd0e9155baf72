"""Several publishers at once (as several workers would be): every checkpoint is stored
once, each after the one before it, with a consistency proof that verifies."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from securact.evidence import checkpoints, journal
from securact.evidence.checkpoint_check import verify_checkpoints
from securact.evidence.checkpoint_models import Checkpoint
from tests.evidence.checkpoint_helpers import journal_of

pytestmark = pytest.mark.django_db(transaction=True)


def _publish_many(barrier: threading.Barrier, published: list, errors: list) -> None:
    try:
        barrier.wait()
        for _ in range(3):
            journal.append("alert.sent", actor="platform")
            published.append(checkpoints.publish_checkpoint(force=True))
    except Exception as exc:  # reported by the test
        errors.append(exc)
    finally:
        connection.close()


def test_concurrent_publishers_never_store_a_size_twice() -> None:
    journal_of(2)
    barrier = threading.Barrier(4)
    published: list = []
    errors: list = []
    threads = [
        threading.Thread(target=_publish_many, args=(barrier, published, errors)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    stored = list(Checkpoint.objects.order_by("tree_size"))
    sizes = [c.tree_size for c in stored]
    assert sizes == sorted(set(sizes)) and sizes[-1] <= 14
    assert [c.previous_id for c in stored] == [None, *(c.pk for c in stored[:-1])]
    assert len([p for p in published if p is not None]) == len(stored)
    assert verify_checkpoints() == []
