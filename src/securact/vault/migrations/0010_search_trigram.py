# The vault search (F7.3) looks for a text anywhere in a file's name, title or description
# (``icontains``: UPPER(col::text) LIKE UPPER('%…%')). On PostgreSQL, trigram indexes on
# those expressions (pg_trgm, a trusted extension since PostgreSQL 13: the database's owner
# may create it) turn a scan of the whole table into index lookups; SQLite has no such
# index and scans, which is fine at its embedded sizes.

from typing import Any

from django.db import migrations

COLUMNS = ("name", "title", "description")


def _index(column: str) -> str:
    return f"stored_file_{column}_trgm"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index(column)} ON vault_storedfile "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index(column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0009_vault_ops"),
    ]

    operations = [migrations.RunPython(create, drop)]
