"""Several worker processes appending at the same moment get a gapless, intact chain."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from securact.evidence import journal
from securact.evidence.models import JournalEntry
from tests.conftest import database_url

WORKERS = 4
EACH = 25
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
            [sys.executable, str(SCRIPT), f"w{index}", str(EACH)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for index in range(WORKERS)
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_append_a_gapless_intact_chain() -> None:
    workers = _start_workers(database_url())
    for worker in workers:  # everyone connected before anyone appends
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=120)[0] for worker in workers]

    assert all(worker.returncode == 0 for worker in workers)
    got = sorted(int(n) for line in results for n in line.split())
    assert got == list(range(1, WORKERS * EACH + 1))
    assert JournalEntry.objects.count() == WORKERS * EACH
    assert journal.verify_chain() == []
    if connection.vendor == "postgresql":
        # Interleaved, not one worker after the other: the head lock really was contended.
        # (SQLite's busy handler tends to let one writer run on, so no such check there.)
        order = [e.data["worker"] for e in JournalEntry.objects.order_by("sequence")]
        assert sum(a != b for a, b in itertools.pairwise(order)) > WORKERS
