"""The files a bailiff (or a recipient, through the portal) downloads: served only from
the viewer's own vault, their bytes checked against their recorded SHA-256 first."""

from __future__ import annotations

import logging

from django.core.files import File
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.vault.models import StoredFile, Vault
from securact.vault.storage import open_blob, stream_sha256

logger = logging.getLogger(__name__)


# --- downloads -----------------------------------------------------------------------------

CONTENT_TYPES = {
    ".zip": "application/zip",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
}


class FileDamaged(Refusal):
    """A stored file's bytes no longer match its record; ``message`` is French."""


def bailiff_file(vault: Vault, signification_pk: int, file_id: int) -> StoredFile:
    """File ``file_id`` of signification ``signification_pk`` in ``vault`` (the signed-in
    bailiff's own); ``StoredFile.DoesNotExist`` for any other file."""
    return StoredFile.objects.get(pk=file_id, vault=vault, signification_id=signification_pk)


def content_type(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def open_verified(stored: StoredFile) -> File[bytes]:
    """The file's bytes, opened and rewound, once their SHA-256 has been checked against the
    record (fixity); :class:`FileDamaged` if they differ or are gone."""
    try:
        handle = open_blob(stored.sha256)
    except FileNotFoundError as missing:
        logger.error(
            "signification %s: file %s (%s) missing from the blob store",
            stored.signification_id,
            stored.pk,
            stored.sha256,
        )
        raise FileDamaged(gettext("Le contenu de ce fichier est introuvable.")) from missing
    found = stream_sha256(handle)
    if found != stored.sha256:
        handle.close()
        logger.error(
            "signification %s: file %s failed its fixity check (recorded %s, found %s)",
            stored.signification_id,
            stored.pk,
            stored.sha256,
            found,
        )
        raise FileDamaged(
            gettext(
                "Le contenu de ce fichier ne correspond plus à son empreinte enregistrée lors "
                "du dépôt : il n'est pas servi."
            )
        )
    handle.seek(0)
    return handle
