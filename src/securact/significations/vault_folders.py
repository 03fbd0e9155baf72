"""Where a signification's files go in the bailiff's vault: one folder named after its
archive, fixed once (``fix_archived_at``) so that every later file — the deposit certificate, the
ZIP, a delivery certificate, an act return — lands in the same folder, whoever comes first."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from securact.significations.models import Signification
from securact.significations.naming import archive_name
from securact.significations.process import PermanentStepError
from securact.vault.models import Vault


def bailiff_vault(signification: Signification) -> Vault:
    return Vault.objects.get(bailiff=signification.bailiff)


def fix_archived_at(signification: Signification) -> datetime:
    """The archive's time, fixed once so that a re-run gives the same names and bytes."""
    Signification.objects.filter(pk=signification.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    signification.refresh_from_db(fields=["archived_at"])
    if signification.archived_at is None:  # pragma: no cover - set just above
        raise PermanentStepError(gettext("Date d'archivage introuvable."))
    return signification.archived_at


def archive_folder(signification: Signification, archived_at: datetime) -> str:
    name = archive_name(signification.recipient.name, signification.reference, archived_at)
    return f"/{name.removesuffix('.zip')}/"


def evidence_folder(signification: Signification, now: datetime) -> str:
    """The bailiff's folder of this signification, named after its archive, for the files
    that come after the deposit (delivery certificate, act return). The archive's time is
    fixed once by whoever needs it first (the archive step or one of these), so that every
    file of the signification lands in the same folder."""
    Signification.objects.filter(pk=signification.pk, archived_at__isnull=True).update(
        archived_at=now
    )
    signification.refresh_from_db(fields=["archived_at"])
    return archive_folder(signification, signification.archived_at or now)
