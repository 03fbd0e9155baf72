"""Recipient search reads indexes only, never the whole table, on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from securact.directory.services import search_recipients
from tests.factories import RecipientFactory


def plan(query: str) -> str:
    if connection.vendor == "postgresql":
        # Tiny test tables make a sequential scan cheapest: ask whether an index path exists.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return search_recipients(query).explain()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["societe gen", "552120", "1800175"])
def test_search_by_name_siret_or_insee_scans_no_table(query: str) -> None:
    RecipientFactory.create_batch(5)
    text = plan(query)
    if connection.vendor == "postgresql":
        assert "Seq Scan" not in text
    else:
        assert "SCAN " not in text.replace("SCAN SUBQUERY", "")
        assert "USING INDEX directory_recipientsearchterm_term" in text
