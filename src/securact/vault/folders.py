"""Folder rows kept in step with the files (F7.2): every folder holding a file has its
``Folder`` row, and so have its ancestors, so listings read subfolders from that table.

``ensure_folders`` runs with every deposit and transfer (one INSERT … ON CONFLICT DO NOTHING);
``sync_folders`` repairs a vault whose files were loaded without it (a benchmark's SQL, an
import), reading the distinct folders of the files, never the files one by one.
"""

from __future__ import annotations

from django.db.models import QuerySet

from securact.vault.models import Folder, StoredFile, Vault
from securact.vault.paths import ROOT, parent_of


def with_ancestors(path: str) -> list[str]:
    """``"/a/b/"`` → ``["/a/", "/a/b/"]`` (the root has no row)."""
    paths: list[str] = []
    current: str | None = path
    while current is not None and current != ROOT:
        paths.append(current)
        current = parent_of(current)
    return paths[::-1]


def folder_row(vault_id: int, path: str) -> Folder:
    return Folder(vault_id=vault_id, path=path, parent=parent_of(path) or ROOT)


def ensure_folders(vault: Vault, path: str) -> None:
    """The rows of ``path`` and its ancestors, created where missing."""
    paths = with_ancestors(path)
    if paths:
        Folder.objects.bulk_create([folder_row(vault.pk, p) for p in paths], ignore_conflicts=True)


def sync_folders(vault: Vault | None = None, *, batch: int = 2000) -> int:
    """Create the missing rows of every folder holding files (of ``vault``, or of every
    vault); returns how many folders were looked at."""
    files: QuerySet[StoredFile] = StoredFile.objects.all()
    if vault is not None:
        files = files.filter(vault=vault)
    pairs = files.order_by().values_list("vault_id", "folder").distinct()
    rows: dict[tuple[int, str], Folder] = {}
    for vault_id, folder in pairs.iterator(chunk_size=batch):
        for path in with_ancestors(folder):
            rows.setdefault((vault_id, path), folder_row(vault_id, path))
    Folder.objects.bulk_create(list(rows.values()), ignore_conflicts=True, batch_size=batch)
    return len(rows)
