"""Folder paths and names in a vault (F7.2).

A folder is named by its path, with a slash at both ends: ``"/"`` is the root,
``"/Dossiers 2026/Banque/"`` a subfolder. Files carry their folder's path
(``StoredFile.folder``), so renaming a folder rewrites that prefix, and the trailing slash is
what keeps ``"/a/"`` from matching ``"/ab/"``.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from securact.vault.errors import VaultRefusal

ROOT = "/"
MAX_PATH = 255  # Folder.path and StoredFile.folder
MAX_NAME = 255  # StoredFile.name


def check_name(name: str, *, what: str = "file") -> str:
    """A file or folder name as typed, trimmed; refused in French when unusable."""
    cleaned = unicodedata.normalize("NFC", name.strip())
    label = _("Le nom du dossier") if what == "folder" else _("Le nom du fichier")
    if not cleaned:
        raise VaultRefusal(_("%(label)s est vide.") % {"label": label}, field="name")
    if "/" in cleaned or "\\" in cleaned:
        raise VaultRefusal(
            _("%(label)s ne peut pas contenir de barre oblique (/ ou \\).") % {"label": label},
            field="name",
        )
    if cleaned in {".", ".."}:
        raise VaultRefusal(_("« %(name)s » n'est pas un nom permis.") % {"name": cleaned}, "name")
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise VaultRefusal(
            _("%(label)s contient un caractère invisible ou de contrôle.") % {"label": label},
            field="name",
        )
    if len(cleaned) > MAX_NAME:
        raise VaultRefusal(
            _("%(label)s dépasse %(max)d caractères.") % {"label": label, "max": MAX_NAME},
            field="name",
        )
    return cleaned


def normalize(path: str) -> str:
    """``"a/b"``, ``"/a/b"`` or ``"/a/b/"`` → ``"/a/b/"``; each part checked like a name."""
    parts = [part for part in path.strip().split("/") if part.strip()]
    if not parts:
        return ROOT
    joined = ROOT + "/".join(check_name(part, what="folder") for part in parts) + "/"
    if len(joined) > MAX_PATH:
        raise VaultRefusal(
            _("Le chemin du dossier dépasse %(max)d caractères.") % {"max": MAX_PATH}, "folder"
        )
    return joined


def join(parent: str, name: str) -> str:
    return normalize(parent + check_name(name, what="folder"))


def parent_of(path: str) -> str | None:
    """The folder holding ``path`` (``None`` for the root)."""
    if path == ROOT:
        return None
    return path[: path.rstrip("/").rfind("/") + 1]


def leaf(path: str) -> str:
    """The last part of a folder's path (``""`` for the root)."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def display(path: str) -> str:
    """How a folder's path reads for a person (``"/"`` for the root, else without the final
    slash)."""
    return path if path == ROOT else path.rstrip("/")
