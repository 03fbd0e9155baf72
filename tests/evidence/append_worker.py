"""A separate worker process for the concurrency test: sets Django up on the test database
(SECURACT_DATABASE_URL), says "ready", waits for a line on stdin, then appends COUNT entries
as fast as it can and prints their sequence numbers."""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    worker, count = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    from django.db import connection

    from securact.evidence import journal

    connection.ensure_connection()  # connect before the start signal, not after
    print("ready", flush=True)
    sys.stdin.readline()
    sequences = [
        journal.append(
            "test.concurrent", actor="platform", data={"worker": worker, "n": n}
        ).sequence
        for n in range(count)
    ]
    print(" ".join(map(str, sequences)), flush=True)


if __name__ == "__main__":
    main()
