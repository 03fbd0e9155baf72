"""``securact bench --journal-only``: the journal's tree measured alone (``journal_tree``), on
a fresh PostgreSQL database (``pages_database``: ``SECURACT_BENCH_DATABASE_URL`` or a
throwaway server) seeded with ``--journal-entries`` synthetic entries, in a child process
(settings are read once per process: the child gets the database's URL), the demo PKI's
server running (the checkpoints' TSA). Figures on stdout and in ``var/bench/journal.json``."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from typing import Any

from django.core.management import call_command

from securact.bench import journal_tree, pages_report, seed_journal
from securact.bench.environment import bench_paths
from securact.bench.pages_database import postgresql_database, redacted
from securact.bench.processes import BIN, pki_server
from securact.bench.report import Writer

CHILD_FLAG = "--journal-child"
RESULTS = "journal.json"


def progress(message: str) -> None:
    sys.stderr.write(f"[bench {datetime.now():%H:%M:%S}] {message}\n")
    sys.stderr.flush()


def run(counts: dict[str, float], out: Writer) -> dict[str, Any]:
    """Seed and measure in a child on a fresh PostgreSQL database; print the report."""
    paths = bench_paths()
    paths.root.mkdir(parents=True, exist_ok=True)
    part = paths.root / RESULTS
    part.unlink(missing_ok=True)
    load_before = os.getloadavg()
    paths.logs.mkdir(parents=True, exist_ok=True)
    command = [str(BIN / "securact"), "demo_pki", "--dir", str(paths.layout.root)]
    subprocess.run([*command, "--url", paths.pki_url], check=True, stdout=subprocess.DEVNULL)
    with pki_server(paths), postgresql_database() as url:
        environment = {**os.environ, "SECURACT_DATABASE_URL": url, "SECURACT_LOG_LEVEL": "WARNING"}
        command = [sys.executable, "-m", "securact.cli", "bench", CHILD_FLAG]
        command += [f"--{name.replace('_', '-')}={value}" for name, value in counts.items()]
        process = subprocess.Popen(command, env=environment)
        try:
            code = process.wait()
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait()
        if code != 0:
            raise RuntimeError(f"the journal measurement exited with status {code}")
        figures: dict[str, Any] = json.loads(part.read_text(encoding="utf-8"))
        figures["database_url"] = redacted(url)
    figures["machine"] = pages_report.machine(load_before)
    pages_report.write_json(figures, part)
    journal_tree.print_report(figures, out)
    out.write(f"Figures as JSON: {part}\n")
    return figures


def run_child(counts: dict[str, float]) -> None:
    from django.db import connection

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if connection.vendor != "postgresql":
        raise RuntimeError("the journal benchmark child runs on PostgreSQL")
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    entries = int(counts["journal_entries"])
    progress(f"journal: seeding {entries:,} entries (entries, leaves, tiles)")
    started = time.perf_counter()
    rng = random.Random(journal_tree.SEED)  # noqa: S311 - not secrets
    seed_journal.load_events(journal_tree.synthetic_events(entries, rng))
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    figures = journal_tree.measure(
        progress,
        seconds=float(counts["journal_seconds"]),
        integrate=int(counts["journal_integrate"]),
    )
    figures["seed_s"] = seeded
    pages_report.write_json(figures, bench_paths().root / RESULTS)
