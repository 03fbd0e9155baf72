"""A signification's work folder (SECURACT_WORK_DIR/<id>) is removed once its content is
safely in the vaults (issue 9, item 3).

The archive step is the last to read it: it builds the ZIP from the signed acts, their
``.p7s``, the deposit certificate and the data message, all already deposited, then deposits
the ZIP. The folder goes when that deposit is committed. Later tasks (the delivery
certificate, an act return) work in folders of their own, removed by their own code or
empty. A rerun of the archive step after the removal finds the ZIP in the vault and has
nothing to do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from securact.significations.models import Signification
from securact.vault.models import StoredFile


def work_folder(signification_id: int) -> Path:
    return Path(settings.SECURACT_WORK_DIR) / str(signification_id)


def work_dir(signification: Signification) -> Path:
    """The signification's work folder, created if needed (the steps write into it)."""
    folder = work_folder(signification.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def archived(signification_id: int) -> bool:
    """Is the signification's ZIP in the bailiff's vault?"""
    return StoredFile.objects.filter(
        signification_id=signification_id, kind=StoredFile.Kind.ARCHIVE
    ).exists()


def remove_when_committed(signification_id: int) -> None:
    """Remove the work folder once the current transaction (the ZIP's deposit) commits."""
    transaction.on_commit(lambda: remove(signification_id))


def remove(signification_id: int) -> None:
    shutil.rmtree(work_folder(signification_id), ignore_errors=True)
