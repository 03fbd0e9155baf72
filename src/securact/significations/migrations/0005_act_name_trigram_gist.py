"""PostgreSQL only: the acts' names get GiST trigram indexes instead of the GIN ones of
0003 (nothing on SQLite).

Measured at a million significations (the page benchmark): a deposited name such as
``9991_25-369693_20250809_142850.pdf`` shares most of its trigrams with every other one
(``PDF``, ``_20``, the practice code, the year), and GIN reads all of their posting lists —
44 ms for one lookup — where GiST's signatures find it in 0.3 ms; a short part (a
reference) takes about as long with either. References keep their GIN index: short
patterns are faster there (1 ms against 16).
"""

from django.db import migrations

NAMES = ("original_name", "deposited_name")


def _gist(schema_editor, column):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "act_{column}_gist" ON "significations_act" '
        f'USING gist ((UPPER("{column}"::text)) gist_trgm_ops(siglen=128))'
    )


def _gin(schema_editor, column):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "act_{column}_trgm" ON "significations_act" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
    )


def to_gist(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        _gist(schema_editor, column)
        schema_editor.execute(f'DROP INDEX IF EXISTS "act_{column}_trgm"')


def to_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        _gin(schema_editor, column)
        schema_editor.execute(f'DROP INDEX IF EXISTS "act_{column}_gist"')


class Migration(migrations.Migration):
    dependencies = [("significations", "0004_recipient_inbox_index")]

    operations = [migrations.RunPython(to_gist, to_gin)]
