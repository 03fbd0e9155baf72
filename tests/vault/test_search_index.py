"""The vault search by text uses trigram indexes on PostgreSQL (issue 11, item 9: a bank's
vault of 100 000 files is searched by a file name without reading the whole table)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from securact.vault.browse import search
from securact.vault.models import StoredFile, Vault
from tests.factories import RecipientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)
def test_a_text_search_reads_the_trigram_indexes(bank_vault: Vault) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'vault_storedfile' "
            "AND indexname LIKE %s",
            ["%_trgm"],
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "stored_file_name_trgm",
            "stored_file_title_trgm",
            "stored_file_description_trgm",
        }
        cursor.execute("ANALYZE vault_storedfile")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table: make the choice plain
        for column in ("name", "title", "description"):
            # The SQL Django writes for the search's icontains, column by column.
            matching = StoredFile.objects.filter(**{f"{column}__icontains": "REF0001234"})
            sql, params = matching.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"stored_file_{column}_trgm" in plan, plan
    assert search(bank_vault, text="REF0001234").get().name == "9991_REF0001234_20261205.pdf"


@pytest.fixture
def bank_vault() -> Vault:
    """A bank's vault of 3 000 acts (rows only: the search reads no content)."""
    vault = Vault.objects.create(owner_kind=Vault.OwnerKind.RECIPIENT, recipient=RecipientFactory())
    now = timezone.now()
    StoredFile.objects.bulk_create(
        StoredFile(
            vault=vault,
            name=f"9991_REF{number:07d}_20261205.pdf",
            kind=StoredFile.Kind.ACT,
            sha256=f"{number:064x}",
            size=1000,
            depositor="platform",
            deposited_at=now,
        )
        for number in range(3000)
    )
    return vault
