"""Listing and searching a vault (F7.2 *lister*, F7.3 *rechercher*).

Everything is computed by the database, by index ranges: a folder's files are a queryset
ordered by name (for paging, on the ``(vault, folder, name)`` unique index); its subfolders are
the Folder rows whose parent it is (``folder_children``), every folder holding files having
its row (``vault.folders``). A vault of 100,000 files is never read into Python, and a bailiff's
root of 25,000 signification folders is paged like its files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.vault.errors import VaultRefusal
from securact.vault.models import Folder, StoredFile, Vault
from securact.vault.paths import ROOT, display, leaf, normalize, parent_of

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Subfolder:
    """A step of the breadcrumbs."""

    name: str
    path: str


@dataclass(frozen=True)
class FolderListing:
    """One folder of a vault: where it is, what it holds. ``subfolders`` (``Folder`` rows:
    ``.name``, ``.path``) and ``files`` are querysets ordered by name, to page."""

    path: str
    parent: str | None  # None at the root
    breadcrumbs: list[Subfolder]  # from the root down to this folder, both included
    subfolders: QuerySet[Folder]
    files: QuerySet[StoredFile]

    @property
    def name(self) -> str:
        return display(self.path) if self.path == ROOT else leaf(self.path)


def under(queryset: QuerySet[M], field: str, prefix: str) -> QuerySet[M]:
    """Rows whose ``field`` starts with ``prefix``, exactly. ``startswith`` lets PostgreSQL
    use the ``varchar_pattern_ops`` index; SQLite's LIKE ignores case, so the exact head of
    the value is compared too ("/A/" never matches "/a/x/")."""
    if prefix == ROOT:
        return queryset
    starting: QuerySet[M] = queryset.filter(**{f"{field}__startswith": prefix})
    exact: QuerySet[M] = starting.alias(_head=Substr(field, 1, len(prefix))).filter(_head=prefix)
    return exact


def folder_exists(vault: Vault, path: str) -> bool:
    if path == ROOT:
        return True
    if Folder.objects.filter(vault=vault, path=path).exists():
        return True
    return under(StoredFile.objects.filter(vault=vault), "folder", path).exists()


def subfolders(vault: Vault, path: str) -> QuerySet[Folder]:
    """The folders directly in ``path``, by name (one index range: ``folder_children``)."""
    return Folder.objects.filter(vault=vault, parent=path).order_by("path")


def breadcrumbs(path: str) -> list[Subfolder]:
    crumbs = [Subfolder(_("Mon coffre-fort"), ROOT)]
    current = ROOT
    for part in path.strip("/").split("/") if path != ROOT else []:
        current = f"{current}{part}/"
        crumbs.append(Subfolder(part, current))
    return crumbs


def list_folder(vault: Vault, path: str = ROOT) -> FolderListing:
    """One folder's subfolders and files; refused in French if the folder does not exist."""
    path = normalize(path)
    if not folder_exists(vault, path):
        raise VaultRefusal(
            _("Le dossier « %(path)s » n'existe pas dans ce coffre-fort.")
            % {"path": display(path)},
            field="folder",
        )
    return FolderListing(
        path=path,
        parent=parent_of(path),
        breadcrumbs=breadcrumbs(path),
        subfolders=subfolders(vault, path),
        files=StoredFile.objects.filter(vault=vault, folder=path).order_by("name", "pk"),
    )


KEYWORD_SEPARATORS = re.compile(r"[,;\s]+")


def split_keywords(keywords: str) -> list[str]:
    return [word for word in KEYWORD_SEPARATORS.split(keywords.strip()) if word]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(
    vault: Vault,
    *,
    text: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    keywords: str = "",
    signification_ids: Iterable[int] | None = None,
) -> QuerySet[StoredFile]:
    """The vault's files matching every criterion given, newest deposit first.

    ``text``: in the name, title or description (case-insensitive); ``kind``: a
    ``StoredFile.Kind``; ``date_from``/``date_to``: deposit days, both included (local time);
    ``keywords``: each word must be among the file's keywords; ``signification_ids``: files of
    these significations (the page resolves a reference into them; empty → nothing).
    """
    files = StoredFile.objects.filter(vault=vault)
    text = text.strip()
    if text:
        files = files.filter(
            Q(name__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )
    if kind:
        files = files.filter(kind=kind)
    if date_from is not None:
        files = files.filter(deposited_at__gte=_day_start(date_from))
    if date_to is not None:
        files = files.filter(deposited_at__lt=_day_start(date_to + timedelta(days=1)))
    for word in split_keywords(keywords):
        files = files.filter(keywords__icontains=word)
    if signification_ids is not None:
        files = files.filter(signification_id__in=list(signification_ids))
    return files.order_by(F("deposited_at").desc(), "name", "pk")
