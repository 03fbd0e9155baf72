# Vault operations (branch vault-ops): a folder's parent, so that subfolders are read by
# (vault, parent) and paged; a row for every folder holding files (and its ancestors); the
# prefix index of the files' folders (PostgreSQL: pattern ops, size included); the vaults'
# occupation for operators (a proxy model, no table).

from typing import Any

from django.db import migrations, models

BATCH = 2000


def _parent(path: str) -> str:
    return path[: path.rstrip("/").rfind("/") + 1] or "/"


def _with_ancestors(path: str) -> list[str]:
    paths = []
    while path not in ("/", ""):
        paths.append(path)
        path = _parent(path)
    return paths


def folder_rows(apps: Any, schema_editor: Any) -> None:
    Folder = apps.get_model("vault", "Folder")
    StoredFile = apps.get_model("vault", "StoredFile")
    for folder in Folder.objects.exclude(path="/").iterator(chunk_size=BATCH):
        parent = _parent(folder.path)
        if folder.parent != parent:
            Folder.objects.filter(pk=folder.pk).update(parent=parent)
    pairs = StoredFile.objects.order_by().values_list("vault_id", "folder").distinct()
    made = Folder.objects.values_list("vault_id", "path")
    wanted = {
        (vault_id, path)
        for source in (pairs, made)
        for vault_id, folder in source.iterator(chunk_size=BATCH)
        for path in _with_ancestors(folder)
    }
    Folder.objects.bulk_create(
        [Folder(vault_id=v, path=p, parent=_parent(p)) for v, p in sorted(wanted)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0008_fixity"),
    ]

    operations = [
        migrations.AddField(
            model_name="folder",
            name="parent",
            field=models.CharField(db_default="/", max_length=255, verbose_name="dossier parent"),
        ),
        migrations.RunPython(folder_rows, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="folder",
            index=models.Index(fields=["vault", "parent", "path"], name="folder_children"),
        ),
        migrations.AddIndex(
            model_name="storedfile",
            index=models.Index(
                fields=["vault", "folder"],
                include=("size",),
                name="stored_file_folder_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.CreateModel(
            name="VaultOccupation",
            fields=[],
            options={
                "verbose_name": "occupation d'un coffre-fort",
                "verbose_name_plural": "occupation des coffres-forts",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("vault.vault",),
        ),
    ]
