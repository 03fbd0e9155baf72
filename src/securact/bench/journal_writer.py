"""One writer process of the journal benchmark (``securact.bench.journal_tree``): Django set
up on the benchmark's database (``SECURACT_DATABASE_URL``), it says "ready", the process id
of its PostgreSQL backend and whether its commits are durable (``fsync`` and
``synchronous_commit`` as its own session sees them), waits for a line on stdin, then
appends entries for SECONDS seconds — each its own committed transaction, exactly
``journal.append`` as the services call it — and prints how many, how long and its own CPU
seconds; then waits for a last line before it exits (so its backend's CPU can be read meanwhile)."""

from __future__ import annotations

import os
import sys
import time

import django


def main() -> None:
    writer, seconds = sys.argv[1], float(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    from django.db import connection

    from securact.evidence import journal

    connection.ensure_connection()  # connected before the start signal, not after
    backend, durable = 0, "on"  # SQLite: in this process, synchronous=FULL-or-NORMAL WAL
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
            # What this session's commits really wait for: both must be on for an entry to
            # be on disk when its transaction commits.
            cursor.execute(
                "SELECT current_setting('fsync') = 'on'"
                " AND current_setting('synchronous_commit') <> 'off'"
            )
            durable = "on" if cursor.fetchone()[0] else "off"
    print("ready", backend, durable, flush=True)
    sys.stdin.readline()
    count, started, cpu = 0, time.perf_counter(), time.process_time()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        journal.append(
            "bench.journal_appended",
            actor=journal.PLATFORM_ACTOR,
            signification_id=count,
            data={
                "writer": writer,
                "n": count,
                "file": f"9991_BENCH-{writer}-{count}_20261205_101500.pdf",
                "sha256": f"{count:064x}",
                "message": "Entrée de mesure du journal des preuves",
            },
        )
        count += 1
    print(count, time.perf_counter() - started, time.process_time() - cpu, flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main()
