"""A separate process for the delivery race: sets Django up on the test database
(SECURACT_DATABASE_URL), says "ready", waits for a line on stdin, then for each signification
id given either records an opening one second before its deadline (``open``) or decides at
its deadline plus ten seconds (``decide``), and prints the ids it decided."""

from __future__ import annotations

import os
import sys
from datetime import timedelta

import django


def main() -> None:
    action, ids = sys.argv[1], [int(pk) for pk in sys.argv[2:]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    from django.db import connection

    from securact.delivery.services import decide_at_deadline, record_opening
    from securact.significations.models import Signification

    deadlines = dict(
        Signification.objects.filter(pk__in=ids).values_list("pk", "delivery_deadline")
    )
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    decided = []
    for pk in ids:
        if action == "open":
            at = deadlines[pk] - timedelta(seconds=1)
            delivery = record_opening(pk, actor="c" * 64, at=at)
        else:
            delivery = decide_at_deadline(pk, now=deadlines[pk] + timedelta(seconds=10))
        if delivery.decided:
            decided.append(pk)
    print(" ".join(map(str, decided)), flush=True)


if __name__ == "__main__":
    main()
