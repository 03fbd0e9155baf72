"""PostgreSQL only: the acts' names get GiST trigram indexes instead of the GIN ones of
0003 (nothing on SQLite).

Measured at a million significations (the page benchmark): a deposited name such as
``9991_25-369693_20250809_142850.pdf`` shares most of its trigrams with every other one
(``PDF``, ``_20``, the practice code, the year), and GIN reads all of their posting lists —
44 ms for one lookup — where GiST's signatures find it in 1 ms. A short part (a reference
such as ``24-113600``) is where GiST is weakest: its inner signatures fill up with the
thousand digit trigrams, so deposited names get 512-byte signatures (20 ms for that part,
100 ms with 128 bytes; 240 MB against GIN's 70 MB), uploaded names, freer text, 128
(3 ms against GIN's 34 for ``Acte 24-025060.pdf``). References keep their GIN index:
short patterns are faster there (1 ms against 16).
"""

from django.db import migrations

# Column → GiST signature length in bytes (see above).
NAMES = {"original_name": 128, "deposited_name": 512}


def _gist(schema_editor, column):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "act_{column}_gist" ON "significations_act" '
        f'USING gist ((UPPER("{column}"::text)) gist_trgm_ops(siglen={NAMES[column]}))'
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
