"""A vault owner's own reversibility export, asked for from his vault's account page: the
bailiff gets his vault and his significations' journal, the recipient its vault and what
its portal shows (``export_scope``). One at a time; only he downloads it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from securact.bundles.export_requests import request_export, resume_if_stalled
from securact.bundles.export_scope import (
    ExportRefused,
    ExportScope,
    bailiff_scope,
    recipient_scope,
)
from securact.bundles.models import ExportRequest
from securact.vault.models import Vault

SHOWN = 5  # the newest exports listed on the account page


def _scope(vault: Vault) -> ExportScope:
    if vault.bailiff is not None:
        return bailiff_scope(vault.bailiff)
    if vault.recipient is not None:
        return recipient_scope(vault.recipient.siret)
    raise ExportRefused(gettext("Ce coffre-fort n'a pas de titulaire."))  # pragma: no cover


def request_owner_export(vault: Vault, *, actor: str) -> ExportRequest:
    """Ask for the owner's export; refused while one of his is still being built."""
    under_way = ExportRequest.objects.filter(
        owner_vault=vault, state__in=[ExportRequest.State.PENDING, ExportRequest.State.RUNNING]
    )
    if under_way.exists():
        raise ExportRefused(
            gettext("Un export est déjà en cours de constitution : attendez qu'il soit prêt.")
        )
    return request_export(_scope(vault), actor=actor, owner_vault=vault)


def owner_exports(vault: Vault) -> list[ExportRequest]:
    """The owner's newest exports; one whose worker died is taken up again."""
    rows = list(ExportRequest.objects.filter(owner_vault=vault)[:SHOWN])
    for row in rows:
        resume_if_stalled(row)
    return rows


def under_way(rows: list[ExportRequest]) -> bool:
    return any(
        row.state in (ExportRequest.State.PENDING, ExportRequest.State.RUNNING) for row in rows
    )


def owner_export(vault: Vault, export_id: int) -> ExportRequest:
    """Export ``export_id`` if ``vault``'s owner asked for it and it is done;
    ``ExportRequest.DoesNotExist`` otherwise (the same for another owner's)."""
    done: QuerySet[ExportRequest] = ExportRequest.objects.select_related(
        "practice", "bailiff__practice", "recipient"
    ).filter(owner_vault=vault, state=ExportRequest.State.DONE)
    return done.get(pk=export_id)
