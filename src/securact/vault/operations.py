"""The vault's business operations (F7.2, F7.4): what the pages (bailiff and recipient) call.

Every operation is journaled (vault/journaling.py ``record``) with the actor's certificate
fingerprint (or ``journal.PLATFORM_ACTOR``); every refusal is a :class:`VaultRefusal` whose
``message`` is French. Moving, renaming, editing properties or transferring never touches a
file's content or its proofs (SHA-256, retention end, deposit timestamp): only the name, the
folder or the properties change, by ``UPDATE`` of those columns.

Listing and search live in ``browse``, occupation and quota in ``quota``, deletion and legal
hold in ``deletion``, transfers in ``transfer``, the journal's labels and CSV in
``journal_export``; this module gathers them so the pages import one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.vault.browse import (
    FolderListing,
    Subfolder,
    folder_exists,
    list_folder,
    search,
    under,
)
from securact.vault.deletion import DeletionRefused, delete_file, set_legal_hold
from securact.vault.errors import VaultRefusal
from securact.vault.folders import ensure_folders, sync_folders
from securact.vault.journal_export import ACTION_LABELS, action_label, vault_journal_csv
from securact.vault.journaling import VaultAction, record
from securact.vault.models import Folder, StoredFile, Vault
from securact.vault.paths import MAX_PATH, ROOT, check_name, display, join, normalize, parent_of
from securact.vault.quota import (
    Occupation,
    ensure_room,
    format_size,
    occupation,
    quota_warning,
)
from securact.vault.services import VaultConflict, deposit_file
from securact.vault.transfer import transfer_copy, transfer_targets

__all__ = [
    "ACTION_LABELS",
    "DeletionRefused",
    "FolderListing",
    "Occupation",
    "Subfolder",
    "VaultRefusal",
    "action_label",
    "create_folder",
    "delete_file",
    "delete_folder",
    "edit_properties",
    "format_size",
    "list_folder",
    "move_files",
    "occupation",
    "quota_warning",
    "record_download",
    "record_read",
    "rename_file",
    "rename_folder",
    "search",
    "set_legal_hold",
    "sync_folders",
    "transfer_copy",
    "transfer_targets",
    "upload_file",
    "vault_journal_csv",
]


def _existing_folder(vault: Vault, path: str) -> str:
    path = normalize(path)
    if not folder_exists(vault, path):
        raise VaultRefusal(
            _("Le dossier « %(path)s » n'existe pas dans ce coffre-fort.")
            % {"path": display(path)},
            field="folder",
        )
    return path


def _folder_taken(vault: Vault, path: str) -> VaultRefusal:
    return VaultRefusal(
        _("Un dossier « %(path)s » existe déjà.") % {"path": display(path)}, field="name"
    )


# --- folders ------------------------------------------------------------------------------


def create_folder(vault: Vault, parent: str, name: str, *, actor: str) -> Folder:
    """A new empty folder ``name`` in ``parent``; journaled (``FOLDER_CREATED``)."""
    parent = _existing_folder(vault, parent)
    path = join(parent, name)
    if folder_exists(vault, path):
        raise _folder_taken(vault, path)
    try:
        with transaction.atomic():
            ensure_folders(vault, parent)
            folder = Folder.objects.create(vault=vault, path=path, parent=parent)
            record(vault, VaultAction.FOLDER_CREATED, actor=actor, data={"folder": path})
    except IntegrityError:
        raise _folder_taken(vault, path) from None
    return folder


def rename_folder(vault: Vault, path: str, new_name: str, *, actor: str) -> str:
    """Rename a folder: its path prefix is rewritten in its Folder rows and its files' folder,
    below it included, in one transaction; content untouched. Returns the new path."""
    path = _existing_folder(vault, path)
    parent = parent_of(path)
    if parent is None:
        raise VaultRefusal(_("La racine du coffre-fort ne peut pas être renommée."), "name")
    new_path = join(parent, new_name)
    if new_path == path:
        return path
    if folder_exists(vault, new_path):
        raise _folder_taken(vault, new_path)
    files = under(StoredFile.objects.filter(vault=vault), "folder", path)
    folders = under(Folder.objects.filter(vault=vault), "path", path)
    _ensure_paths_fit(files, "folder", path, new_path)
    _ensure_paths_fit(folders, "path", path, new_path)
    rest = len(path) + 1
    try:
        with transaction.atomic():
            ensure_folders(vault, path)
            inner = folders.exclude(path=path)
            moved_folders = Folder.objects.filter(pk__in=inner.values("pk")).update(
                path=Concat(Value(new_path), Substr("path", rest)),
                parent=Concat(Value(new_path), Substr("parent", rest)),
            )
            moved_folders += Folder.objects.filter(vault=vault, path=path).update(path=new_path)
            moved_files = StoredFile.objects.filter(pk__in=files.values("pk")).update(
                folder=Concat(Value(new_path), Substr("folder", rest))
            )
            record(
                vault,
                VaultAction.FOLDER_RENAMED,
                actor=actor,
                data={
                    "folder": path,
                    "new_folder": new_path,
                    "files": moved_files,
                    "folders": moved_folders,
                },
            )
    except IntegrityError:
        raise _folder_taken(vault, new_path) from None
    return new_path


def _ensure_paths_fit(rows: QuerySet[Any], field: str, old: str, new: str) -> None:
    longest = rows.aggregate(longest=Max(Length(field)))["longest"]
    if longest is not None and longest - len(old) + len(new) > MAX_PATH:
        raise VaultRefusal(
            _("Ce nom rendrait le chemin d'un sous-dossier plus long que %(max)d caractères.")
            % {"max": MAX_PATH},
            field="name",
        )


def delete_folder(vault: Vault, path: str, *, actor: str) -> None:
    """Delete an empty folder (no file, no subfolder); journaled (``FOLDER_DELETED``)."""
    path = _existing_folder(vault, path)
    if path == ROOT:
        raise VaultRefusal(_("La racine du coffre-fort ne peut pas être supprimée."))
    with transaction.atomic():
        holds_files = under(StoredFile.objects.filter(vault=vault), "folder", path).exists()
        if holds_files or Folder.objects.filter(vault=vault, parent=path).exists():
            raise VaultRefusal(
                _(
                    "Le dossier « %(path)s » n'est pas vide : déplacez ou supprimez d'abord "
                    "ses fichiers et ses sous-dossiers."
                )
                % {"path": display(path)}
            )
        Folder.objects.filter(vault=vault, path=path).delete()
        record(vault, VaultAction.FOLDER_DELETED, actor=actor, data={"folder": path})


# --- files --------------------------------------------------------------------------------


def _name_taken(name: str, folder: str) -> VaultRefusal:
    return VaultRefusal(
        _("Un fichier « %(name)s » existe déjà dans le dossier « %(folder)s ».")
        % {"name": name, "folder": display(folder)},
        field="name",
    )


def move_files(vault: Vault, file_ids: Iterable[int], target_folder: str, *, actor: str) -> int:
    """Move files of ``vault`` into ``target_folder``; each move journaled (``MOVED``, with
    the folder it came from). Returns how many files changed folder."""
    target = _existing_folder(vault, target_folder)
    wanted = set(file_ids)
    try:
        with transaction.atomic():
            files = list(
                StoredFile.objects.select_for_update()
                .filter(vault=vault, pk__in=wanted)
                .order_by("pk")
            )
            if len(files) != len(wanted):
                raise VaultRefusal(_("Un des fichiers choisis n'est plus dans ce coffre-fort."))
            moving = [stored for stored in files if stored.folder != target]
            _ensure_names_free(vault, target, [stored.name for stored in moving])
            ensure_folders(vault, target)
            StoredFile.objects.filter(pk__in=[stored.pk for stored in moving]).update(folder=target)
            for stored in moving:
                origin, stored.folder = stored.folder, target
                record(vault, VaultAction.MOVED, actor=actor, stored=stored, data={"from": origin})
    except IntegrityError:
        raise VaultRefusal(
            _("Un fichier du même nom vient d'arriver dans le dossier « %(folder)s ».")
            % {"folder": display(target)}
        ) from None
    return len(moving)


def _ensure_names_free(vault: Vault, folder: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise VaultRefusal(
                _(
                    "Deux des fichiers choisis s'appellent « %(name)s » : un dossier ne peut en "
                    "contenir qu'un."
                )
                % {"name": name}
            )
        seen.add(name)
    taken = (
        StoredFile.objects.filter(vault=vault, folder=folder, name__in=names)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    if taken is not None:
        raise _name_taken(taken, folder)


def rename_file(stored: StoredFile, new_name: str, *, actor: str) -> StoredFile:
    """Rename a file in its folder; journaled (``RENAMED``, with the former name)."""
    name = check_name(new_name)
    if name == stored.name:
        return stored
    others = StoredFile.objects.filter(vault_id=stored.vault_id, folder=stored.folder, name=name)
    if others.exists():
        raise _name_taken(name, stored.folder)
    former = stored.name
    try:
        with transaction.atomic():
            StoredFile.objects.filter(pk=stored.pk).update(name=name)
            stored.name = name
            record(
                stored.vault, VaultAction.RENAMED, actor=actor, stored=stored, data={"from": former}
            )
    except IntegrityError:
        stored.name = former
        raise _name_taken(name, stored.folder) from None
    return stored


MAX_TITLE = 255
MAX_KEYWORDS = 500
MAX_DESCRIPTION = 5000


def edit_properties(
    stored: StoredFile, *, title: str, description: str, keywords: str, actor: str
) -> StoredFile:
    """Set a file's title, description and keywords (never part of its proofs); journaled
    (``PROPERTIES``, with the new values) when something changed."""
    values = {
        "title": " ".join(title.split()),
        "description": description.strip(),
        "keywords": " ".join(keywords.split()),
    }
    limits = {"title": MAX_TITLE, "description": MAX_DESCRIPTION, "keywords": MAX_KEYWORDS}
    labels = {
        "title": _("Le titre"),
        "description": _("La description"),
        "keywords": _("Les mots-clés"),
    }
    for field, limit in limits.items():
        if len(values[field]) > limit:
            raise VaultRefusal(
                _("%(label)s dépasse %(max)d caractères.") % {"label": labels[field], "max": limit},
                field=field,
            )
    changed = {field: value for field, value in values.items() if getattr(stored, field) != value}
    if not changed:
        return stored
    with transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).update(**changed)
        for field, value in changed.items():
            setattr(stored, field, value)
        record(stored.vault, VaultAction.PROPERTIES, actor=actor, stored=stored, data=changed)
    return stored


def upload_file(
    vault: Vault, name: str, source: Path, *, folder: str = "/", actor: str
) -> StoredFile:
    """The owner's own file into his vault (kind ``OTHER``: he may delete it); refused in
    French if the name is taken in that folder or the quota would be passed."""
    name = check_name(name)
    folder = _existing_folder(vault, folder)
    if StoredFile.objects.filter(vault=vault, folder=folder, name=name).exists():
        raise _name_taken(name, folder)
    ensure_room(vault, source.stat().st_size)
    try:
        return deposit_file(
            vault,
            name,
            source,
            depositor=actor,
            deposited_at=timezone.now(),
            kind=StoredFile.Kind.OTHER,
            folder=folder,
        )
    except VaultConflict:
        raise _name_taken(name, folder) from None


# --- reading ------------------------------------------------------------------------------


def record_read(stored: StoredFile, *, actor: str) -> None:
    """Journal that ``actor`` read the file's metadata or opened it (``READ``)."""
    record(stored.vault, VaultAction.READ, actor=actor, stored=stored)


def record_download(stored: StoredFile, *, actor: str) -> None:
    """Journal a download of the file's content (``DOWNLOADED``)."""
    record(stored.vault, VaultAction.DOWNLOADED, actor=actor, stored=stored)
