"""What the vault pages show beside the vault's own services: the signification a file
belongs to (its reference, looked up here, one query a page: the vault below knows only the
signification's id), and a reference typed in the search resolved into ids."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext

from securact.significations.models import Signification
from securact.vault import operations
from securact.vault.models import Folder, StoredFile, Vault
from securact.vault.paths import ROOT, display, parent_of

# A reference typed in the search matches at most this many significations (their ids go
# to the vault's search as a list).
REFERENCE_MATCHES = 1000


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
    if vault.recipient is not None:
        return Signification.objects.filter(recipient_id=vault.recipient.pk)
    return Signification.objects.none()


def signification_ids(vault: Vault, reference: str) -> list[int]:
    """Ids of the significations (of this vault's owner) whose reference contains the text."""
    matches = significations_of(vault).filter(reference__icontains=reference.strip())
    return list(matches.order_by().values_list("pk", flat=True)[:REFERENCE_MATCHES])


FOLDER_CHOICES_LIMIT = 1000


def folder_choices(vault: Vault) -> list[tuple[str, str]]:
    """Every folder of the vault (the made ones and those holding files, with their parents),
    as (path, how it reads) for a « Dossier de destination » list, the root first."""
    made = Folder.objects.filter(vault=vault).values_list("path", flat=True)
    holding = (
        StoredFile.objects.filter(vault=vault)
        .order_by()
        .values_list("folder", flat=True)
        .distinct()
    )
    paths = {ROOT}
    for path in [*made[:FOLDER_CHOICES_LIMIT], *holding[:FOLDER_CHOICES_LIMIT]]:
        current: str | None = path
        while current is not None and current not in paths:
            paths.add(current)
            current = parent_of(current)
    ordered = sorted(paths, key=lambda path: (path != ROOT, path.casefold(), path))
    root = gettext("Mon coffre-fort (racine)")
    return [(path, root if path == ROOT else display(path)) for path in ordered]


def owner_label(vault: Vault) -> str:
    """How another vault reads in a list: its holder, and his practice or organisation."""
    if vault.bailiff is not None:
        return vault.bailiff.full_name
    if vault.recipient is not None:
        return f"{vault.recipient.name} (SIRET {vault.recipient.siret})"
    return str(vault)


def transfer_choices(vault: Vault) -> list[tuple[int, str]]:
    """The vaults a copy may be transferred to (``vault.operations.transfer_targets``)."""
    return [(target.pk, owner_label(target)) for target in operations.transfer_targets(vault)]
