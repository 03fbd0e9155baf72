"""What the vault pages show beside the vault's own services: sizes in Ko/Mo, the folder
path as a breadcrumb, and the signification a file belongs to (its reference, looked up
here, one query a page: the vault below knows only the signification's id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext

from securact.significations.models import Signification
from securact.vault.models import Vault

KO = 1024
MO = KO * 1024
GO = MO * 1024
# A reference typed in the search matches at most this many significations (their ids go
# to the vault's search as a list).
REFERENCE_MATCHES = 1000


def human_size(size: int | None) -> str:
    """« 27,19 Ko », « 1,50 Mo »: the manual's sizes (two decimals, French separators)."""
    if size is None:
        return "—"
    if size < KO:
        return gettext("%(count)s octets") % {"count": size}
    for unit, label in ((GO, "Go"), (MO, "Mo")):
        if size >= unit:
            return f"{number_format(size / unit, 2)} {label}"
    return f"{number_format(size / KO, 2)} Ko"


@dataclass(frozen=True)
class Crumb:
    name: str
    path: str


def normalise_folder(raw: str | None) -> str:
    """``"a/b"`` → ``"/a/b/"``; empty → the root ``"/"`` (the vault checks the rest)."""
    parts = [part for part in (raw or "").split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts)


def breadcrumb(folder: str) -> list[Crumb]:
    """The root (*Mon coffre-fort*), then each folder down to ``folder``."""
    crumbs = [Crumb(gettext("Mon coffre-fort"), "/")]
    path = "/"
    for part in [part for part in folder.split("/") if part]:
        path += f"{part}/"
        crumbs.append(Crumb(part, path))
    return crumbs


def parent_of(folder: str) -> str | None:
    if folder == "/":
        return None
    return normalise_folder(folder.rstrip("/").rsplit("/", 1)[0])


def folder_name(folder: str) -> str:
    return folder.rstrip("/").rsplit("/", 1)[-1]


def references(ids: Iterable[int | None]) -> dict[int, str]:
    """Signification id → its reference, for the files of one page (one query)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return dict(Signification.objects.filter(pk__in=wanted).values_list("pk", "reference"))


def significations_of(vault: Vault) -> QuerySet[Signification]:
    """The significations whose files may be in ``vault``: its bailiff's practice's, or
    those served on its recipient."""
    if vault.bailiff is not None:
        return Signification.objects.filter(practice_id=vault.bailiff.practice_id)
    return Signification.objects.filter(recipient_id=vault.recipient_id)


def signification_ids(vault: Vault, reference: str) -> list[int]:
    """Ids of the significations (of this vault's owner) whose reference contains the text."""
    matches = significations_of(vault).filter(reference__icontains=reference.strip())
    return list(matches.order_by().values_list("pk", flat=True)[:REFERENCE_MATCHES])
