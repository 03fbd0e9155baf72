"""A separate worker process for the concurrency test: sets Django up on the test database
(SECURACT_DATABASE_URL), says "ready", waits for a line on stdin, then appends COUNT entries
as fast as it can, each in its own transaction — every ROLLBACK_EVERY-th one rolled back
with the caller's failed work — and prints two lines: the committed entries' numbers, then
the rolled-back ones'."""

from __future__ import annotations

import os
import sys

import django


class CallerFailed(RuntimeError):
    pass


def main() -> None:
    worker, count = sys.argv[1], int(sys.argv[2])
    rollback_every = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    from django.db import connection, transaction

    from securact.evidence import journal

    connection.ensure_connection()  # connect before the start signal, not after
    print("ready", flush=True)
    sys.stdin.readline()
    committed, rolled_back = [], []
    for n in range(count):
        data = {"worker": worker, "n": n}
        if rollback_every and n % rollback_every == rollback_every - 1:
            try:
                with transaction.atomic():
                    entry = journal.append("test.concurrent", actor="platform", data=data)
                    rolled_back.append(entry.sequence)
                    raise CallerFailed
            except CallerFailed:
                continue
        committed.append(journal.append("test.concurrent", actor="platform", data=data).sequence)
    print(" ".join(map(str, committed)), flush=True)
    print(" ".join(map(str, rolled_back)), flush=True)


if __name__ == "__main__":
    main()
