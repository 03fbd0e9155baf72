"""The recipient's list is read from its index (significations migration 0004), in the
order of the page — unopened first, then the newest — never by sorting all its deposits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from securact.ui import deposits as services
from tests.portal.conftest import bank_recipient

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_a_page_of_deposits_is_read_from_the_inbox_index(deposits):
    for n in range(5):
        deposits.make(f"R{n}", SENT + timedelta(hours=n))
    if connection.vendor == "postgresql":
        # Tiny test tables make a scan and a sort cheapest: ask whether the index path exists.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")

    plan = services.recipient_deposits(bank_recipient())[:50].explain()

    assert "signification_recipient_inbox" in plan
    if connection.vendor == "postgresql":
        assert "Sort Key" not in plan
    else:
        assert "TEMP B-TREE FOR ORDER BY" not in plan
