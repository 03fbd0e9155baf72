"""A signification's work files (its keys ``<id>/…`` in the work store, and its uploaded
acts ``uploads/<batch>/…``) are removed once its content is safely in the vaults (issue 9,
item 3; issue 11, item 7: the work store may be an object store shared by every machine).

The archive step is the last to read them: it builds the ZIP from the signed acts, their
``.p7s``, the deposit certificate and the data message, all already deposited, then deposits
the ZIP. The files go when that deposit is committed. Later steps (the delivery
certificate, an act return) keep what they make under keys of their own, removed by their
own code. A rerun of the archive step after the removal finds the ZIP in the vault and has
nothing to do.
"""

from __future__ import annotations

from django.db import transaction

from securact.significations import work_store
from securact.significations.models import Act
from securact.vault.models import StoredFile

UPLOADS = "uploads/"


def archived(signification_id: int) -> bool:
    """Is the signification's ZIP in the bailiff's vault?"""
    return StoredFile.objects.filter(
        signification_id=signification_id, kind=StoredFile.Kind.ARCHIVE
    ).exists()


def remove_when_committed(signification_id: int) -> None:
    """Remove the work files once the current transaction (the ZIP's deposit) commits."""
    transaction.on_commit(lambda: remove(signification_id))


def upload_prefixes(signification_id: int) -> set[str]:
    """The store folders of the signification's uploaded acts (``uploads/<batch>/``)."""
    keys = Act.objects.filter(signification_id=signification_id).values_list(
        "upload_path", flat=True
    )
    return {key.rsplit("/", 1)[0] + "/" for key in keys if key.startswith(UPLOADS)}


def remove(signification_id: int) -> None:
    for prefix in sorted(upload_prefixes(signification_id)):
        work_store.delete_prefix(prefix)
    work_store.delete_prefix(work_store.signification_prefix(signification_id))
