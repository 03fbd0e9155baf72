"""The journal becomes an RFC 9162 Merkle tree (issue 12; docs/evidence-log.md, §1).

* The entries' numbers come from a counter taken without a lock (PostgreSQL: the sequence
  ``evidence_journal_number``, set after the last existing entry).
* ``JournalPending`` (entries waiting for their leaf), ``JournalLeaf`` (append-only, like
  the entries: triggers) and ``JournalTile``; the head keeps the tree's size and root
  instead of the last entry of the chain.
* Every existing entry (format 1, hash-chained) becomes a leaf, in sequence order, and the
  tiles and the head are built — streamed in batches, so a large journal upgrades in one
  pass without holding it in memory.
"""

import hashlib

from django.db import migrations, models

from securact.evidence import canonical, tiles
from securact_verifier.merkle import leaf_hash

EMPTY_ROOT = hashlib.sha256(b"").digest()
BATCH = 10_000
NUMBER_SEQUENCE = "evidence_journal_number"

# The leaves, like the entries, refuse UPDATE and DELETE in the database itself (see
# securact.evidence.guards; SQLite's DELETE asks the same test-purge function).
TRIGGER_SQL = {
    "postgresql": [
        """
        CREATE FUNCTION evidence_journalleaf_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'evidence_journalleaf is append-only: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER evidence_journalleaf_append_only
        BEFORE UPDATE OR DELETE ON evidence_journalleaf
        FOR EACH ROW EXECUTE FUNCTION evidence_journalleaf_refuse_change()
        """,
        # Tiles are 8 KiB of hashes: compressing them is wasted work.
        "ALTER TABLE evidence_journaltile ALTER COLUMN hashes SET STORAGE EXTERNAL",
    ],
    "sqlite": [
        """
        CREATE TRIGGER evidence_journalleaf_no_update
        BEFORE UPDATE ON evidence_journalleaf
        BEGIN
            SELECT RAISE(ABORT, 'evidence_journalleaf is append-only: UPDATE refused');
        END
        """,
        """
        CREATE TRIGGER evidence_journalleaf_no_delete
        BEFORE DELETE ON evidence_journalleaf
        WHEN NOT securact_journal_purge_allowed()
        BEGIN
            SELECT RAISE(ABORT, 'evidence_journalleaf is append-only: DELETE refused');
        END
        """,
    ],
}
REVERSE_SQL = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS evidence_journalleaf_append_only ON evidence_journalleaf",
        "DROP FUNCTION IF EXISTS evidence_journalleaf_refuse_change()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS evidence_journalleaf_no_update",
        "DROP TRIGGER IF EXISTS evidence_journalleaf_no_delete",
    ],
}


def _run_vendor_sql(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"no journal triggers written for the {vendor} database")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


def create_number_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE SEQUENCE {NUMBER_SEQUENCE} AS bigint OWNED BY evidence_journalentry.sequence",
        params=None,
    )
    schema_editor.execute(
        "SELECT setval(%s, COALESCE(MAX(sequence), 1), MAX(sequence) IS NOT NULL) "
        "FROM evidence_journalentry",
        params=[NUMBER_SEQUENCE],
    )


def drop_number_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {NUMBER_SEQUENCE}", params=None)


def integrate_existing_entries(apps, schema_editor):
    """Each entry, in sequence order, becomes the next leaf; tiles and head follow."""
    entry_model = apps.get_model("evidence", "JournalEntry")
    leaf_model = apps.get_model("evidence", "JournalLeaf")
    tile_model = apps.get_model("evidence", "JournalTile")
    head_model = apps.get_model("evidence", "JournalHead")
    alias = schema_editor.connection.alias
    builder = tiles.TreeBuilder()
    batch: list = []
    entries = entry_model.objects.using(alias).order_by("sequence").iterator(chunk_size=BATCH)
    for entry in entries:
        batch.append(entry)
        if len(batch) == BATCH:
            _integrate(batch, builder, leaf_model, tile_model, alias)
            batch = []
    _integrate(batch, builder, leaf_model, tile_model, alias)
    head_model.objects.using(alias).update_or_create(
        pk=1, defaults={"tree_size": builder.size, "root_hash": builder.root()}
    )


def _integrate(batch, builder, leaf_model, tile_model, alias):
    if not batch:
        return
    hashes = [leaf_hash(canonical.leaf_bytes(entry)) for entry in batch]
    first = builder.size
    written = builder.append(hashes)
    leaf_model.objects.using(alias).bulk_create(
        [
            leaf_model(index=first + offset, sequence=entry.sequence, leaf_hash=hashed)
            for offset, (entry, hashed) in enumerate(zip(batch, hashes, strict=True))
        ]
    )
    tile_model.objects.using(alias).bulk_create(
        [tile_model(level=key[0], index=key[1], hashes=blob) for key, blob in written.items()],
        update_conflicts=True,
        unique_fields=["level", "index"],
        update_fields=["hashes"],
    )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="journalhead", name="sequence"),
        migrations.RemoveField(model_name="journalhead", name="entry_hash"),
        migrations.AddField(
            model_name="journalhead",
            name="tree_size",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="journalhead",
            name="root_hash",
            field=models.BinaryField(default=EMPTY_ROOT, max_length=32),
        ),
        migrations.CreateModel(
            name="JournalPending",
            fields=[
                (
                    "sequence",
                    models.PositiveBigIntegerField(primary_key=True, serialize=False),
                ),
                ("leaf_hash", models.BinaryField(max_length=32)),
            ],
            options={
                "verbose_name": "entrée en attente d'intégration",
                "verbose_name_plural": "entrées en attente d'intégration",
            },
        ),
        migrations.CreateModel(
            name="JournalLeaf",
            fields=[
                ("sequence", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("index", models.PositiveBigIntegerField()),
                ("leaf_hash", models.BinaryField(max_length=32)),
            ],
            options={
                "verbose_name": "feuille du journal",
                "verbose_name_plural": "feuilles du journal",
            },
        ),
        migrations.CreateModel(
            name="JournalTile",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "level",
                        "index",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("level", models.PositiveSmallIntegerField()),
                ("index", models.PositiveBigIntegerField()),
                ("hashes", models.BinaryField()),
            ],
            options={
                "verbose_name": "tuile du journal",
                "verbose_name_plural": "tuiles du journal",
            },
        ),
        migrations.RunPython(_run_vendor_sql(TRIGGER_SQL), _run_vendor_sql(REVERSE_SQL)),
        migrations.RunPython(create_number_sequence, drop_number_sequence),
        migrations.RunPython(integrate_existing_entries, migrations.RunPython.noop),
    ]
