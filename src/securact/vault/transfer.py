"""*Transférer* (F7.2): a copy of a file into another vault of the same practice (a bailiff's
colleagues) or of the same organisation (a recipient's other establishments, same SIREN).

The copy shares the content (same SHA-256, no re-upload), keeps the kind, the retention end
and the deposit timestamp (the proof that this content existed then), and is journaled in
both vaults: ``TRANSFERRED`` with ``direction`` ``sent`` in the source, ``received`` in the
target, each naming the other file.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.vault.browse import folder_exists
from securact.vault.errors import VaultRefusal
from securact.vault.folders import ensure_folders
from securact.vault.journaling import VaultAction, record
from securact.vault.models import StoredFile, Vault
from securact.vault.paths import display, normalize
from securact.vault.quota import ensure_room

SIREN = 9  # the first 9 digits of a SIRET name the company


def transfer_targets(vault: Vault) -> QuerySet[Vault]:
    """The vaults a copy may go to from ``vault``, by owner's name."""
    targets = Vault.objects.exclude(pk=vault.pk)
    if vault.owner_kind == Vault.OwnerKind.BAILIFF and vault.bailiff is not None:
        return (
            targets.filter(
                owner_kind=Vault.OwnerKind.BAILIFF, bailiff__practice_id=vault.bailiff.practice_id
            )
            .select_related("bailiff")
            .order_by("bailiff__full_name", "pk")
        )
    if vault.owner_kind == Vault.OwnerKind.RECIPIENT and vault.recipient is not None:
        siren = vault.recipient.siret[:SIREN]
        return (
            targets.filter(owner_kind=Vault.OwnerKind.RECIPIENT, recipient__siret__startswith=siren)
            .select_related("recipient")
            .order_by("recipient__name", "pk")
        )
    return targets.none()


def transfer_copy(
    stored: StoredFile, target_vault: Vault, *, actor: str, folder: str = "/"
) -> StoredFile:
    """Copy ``stored`` into ``target_vault`` (its ``folder``); refused in French when the
    target is not one of :func:`transfer_targets`, the name is taken there, or the target's
    quota would be passed."""
    source = stored.vault
    if not transfer_targets(source).filter(pk=target_vault.pk).exists():
        raise VaultRefusal(
            _(
                "Ce coffre-fort n'appartient pas à votre étude ou à votre organisme : "
                "le fichier ne peut pas y être transféré."
            ),
            field="target",
        )
    folder = normalize(folder)
    if not folder_exists(target_vault, folder):
        raise VaultRefusal(
            _("Le dossier « %(path)s » n'existe pas dans le coffre-fort destinataire.")
            % {"path": display(folder)},
            field="folder",
        )
    _ensure_name_free(target_vault, folder, stored.name)
    ensure_room(target_vault, stored.size, target=True)
    try:
        with transaction.atomic():
            ensure_folders(target_vault, folder)
            copy = StoredFile.objects.create(
                vault=target_vault,
                folder=folder,
                name=stored.name,
                kind=stored.kind,
                hash_algorithm=stored.hash_algorithm,
                sha256=stored.sha256,
                size=stored.size,
                depositor=actor,
                deposited_at=timezone.now(),
                signification_id=stored.signification_id,
                title=stored.title,
                description=stored.description,
                keywords=stored.keywords,
                retain_until=stored.retain_until,
                deposit_timestamp=stored.deposit_timestamp,
            )
            record(
                target_vault,
                VaultAction.TRANSFERRED,
                actor=actor,
                stored=copy,
                data={"direction": "received", "from_vault": source.pk, "from_file": stored.pk},
            )
            record(
                source,
                VaultAction.TRANSFERRED,
                actor=actor,
                stored=stored,
                data={"direction": "sent", "to_vault": target_vault.pk, "to_file": copy.pk},
            )
    except IntegrityError:  # the same name arrived there meanwhile
        _ensure_name_free(target_vault, folder, stored.name)
        raise
    return copy


def _ensure_name_free(vault: Vault, folder: str, name: str) -> None:
    if StoredFile.objects.filter(vault=vault, folder=folder, name=name).exists():
        raise VaultRefusal(
            _(
                "Le coffre-fort destinataire contient déjà un fichier « %(name)s » dans le "
                "dossier « %(folder)s »."
            )
            % {"name": name, "folder": display(folder)},
            field="target",
        )
