"""Eight worker processes appending at the same moment, each entry in its own transaction
and some rolled back with the caller's work: every committed entry becomes exactly one leaf,
the leaf indices have no gap, no rolled-back entry has a leaf, and the tree's root is the
RFC 9162 root of the entries' canonical bytes."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from securact.evidence import tree
from securact.evidence.checking import check_tree
from securact.evidence.models import JournalEntry, JournalLeaf, JournalPending
from securact_verifier.merkle import leaf_hash, root_from_leaf_hashes
from tests.conftest import database_url

WORKERS = 8
EACH = 30
ROLLBACK_EVERY = 7
SCRIPT = Path(__file__).with_name("append_worker.py")
SRC = Path(__file__).resolve().parents[2] / "src"


def _start_workers(url: str) -> list[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "SECURACT_DATABASE_URL": url,
        "SECURACT_DATA_DIR": tempfile.mkdtemp(prefix="securact-journal-"),
        "PYTHONPATH": str(SRC),
    }
    return [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), f"w{index}", str(EACH), str(ROLLBACK_EVERY)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for index in range(WORKERS)
    ]


def _run_workers() -> tuple[list[int], list[int]]:
    workers = _start_workers(database_url())
    for worker in workers:  # everyone connected before anyone appends
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    done = [worker.communicate(timeout=180) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in done]
    # No integration after a commit failed (they are only logged: the entry stays pending).
    assert not any("integration after commit failed" in err for _, err in done)
    outputs = [out.splitlines() for out, _ in done]
    committed = sorted(int(n) for lines in outputs for n in lines[0].split())
    rolled_back = sorted(int(n) for lines in outputs for n in lines[1].split())
    return committed, rolled_back


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_make_a_gapless_tree_of_the_committed_entries() -> None:
    committed, rolled_back = _run_workers()
    tree.integrate()  # what the last commits' integrations skipped (the worker's job)

    per_worker = EACH - EACH // ROLLBACK_EVERY
    assert len(committed) == len(set(committed)) == WORKERS * per_worker
    assert len(rolled_back) == WORKERS * (EACH // ROLLBACK_EVERY)
    assert not JournalPending.objects.exists()
    leaves = list(JournalLeaf.objects.order_by("index").values_list("index", "sequence"))
    assert [index for index, _ in leaves] == list(range(len(committed)))
    assert sorted(sequence for _, sequence in leaves) == committed
    # (SQLite numbers MAX + 1: a rolled-back number is given again to the next append.)
    unused = set(rolled_back) - set(committed)
    assert not JournalLeaf.objects.filter(sequence__in=unused).exists()
    assert JournalEntry.objects.count() == len(committed)
    entries = JournalEntry.objects.in_bulk([sequence for _, sequence in leaves])
    assert all(e.data["n"] % ROLLBACK_EVERY != ROLLBACK_EVERY - 1 for e in entries.values())
    hashes = [leaf_hash(entries[sequence].canonical_bytes()) for _, sequence in leaves]
    head = tree.tree_head()
    assert (head.size, head.root_hash) == (len(committed), root_from_leaf_hashes(hashes))
    assert check_tree().problems == []
    if connection.vendor == "postgresql":
        # Interleaved, not one worker after the other: the appends really ran at once.
        # (SQLite's busy handler tends to let one writer run on, so no such check there.)
        order = [e.data["worker"] for e in JournalEntry.objects.order_by("sequence")]
        assert sum(a != b for a, b in itertools.pairwise(order)) > WORKERS
