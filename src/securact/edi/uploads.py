"""Acts uploaded through the EDI before their batch is submitted (F9.1).

``receive_upload`` streams the file to this process's disk (never whole in memory), checks it
by its content exactly as the service form does (``documents``: ``clean_file_name``,
``save_upload``, ``check_upload``), then puts it into the shared work store under
``edi-uploads/<id>/file`` (the batch may be submitted to another machine) and returns the
``Upload`` whose id items name. Serving checks it once more, as every entry point's files
are (``workflow.recording``).

An upload expires ``SECURACT_EDI_UPLOAD_TTL_HOURS`` after it was received: an item naming it
afterwards is refused, and ``expire_uploads`` (the workers' dispatcher, ``edi.dispatcher``)
removes its row and its file. A served act does not need it any more: the signification
has its own copy.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.directory.models import Practice
from securact.documents.services import (
    UploadRefused,
    check_total_size,
    check_upload,
    clean_file_name,
    save_upload,
)
from securact.edi.models import Upload
from securact.significations import work_store
from securact.significations.services import IncomingFile, ServiceRefused

logger = logging.getLogger(__name__)

PREFIX = "edi-uploads/"
# An item serves at most as many acts as the form does.
MAX_FILES_PER_ITEM = 20


def receive_upload(
    practice: Practice, caller_fingerprint: str, stream: IO[bytes], name: str
) -> Upload:
    """Keep one uploaded act for ``practice``; ``UploadRefused`` (French) says why not."""
    name = clean_file_name(name)
    if not name:
        raise UploadRefused(gettext("Indiquez le nom du fichier."))
    upload_id = uuid.uuid4()
    folder = Path(settings.SECURACT_UPLOAD_DIR) / "edi" / upload_id.hex
    try:
        path = save_upload(stream, name, folder)
        kind = check_upload(path, name)
        check_total_size([path.stat().st_size])
        size = path.stat().st_size
        key = work_store.check_key(f"{PREFIX}{upload_id.hex}/file")
        sha256 = work_store.put(key, path, move=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    now = timezone.now()
    return Upload.objects.create(
        id=upload_id,
        practice=practice,
        uploaded_by=caller_fingerprint,
        name=name,
        kind=str(kind),
        size=size,
        sha256=sha256,
        key=key,
        expires_at=now + timedelta(hours=float(settings.SECURACT_EDI_UPLOAD_TTL_HOURS)),
    )


def uploads_for_item(practice: Practice, upload_ids: Sequence[str]) -> list[Upload]:
    """The uploads an item names, in its order: each of ``practice``, not expired; else a
    ``ServiceRefused`` on the field ``files``."""
    if not upload_ids:
        raise ServiceRefused(gettext("Ajoutez au moins un acte à signifier."), "files")
    if len(upload_ids) > MAX_FILES_PER_ITEM:
        raise ServiceRefused(gettext("Vingt actes au plus par signification."), "files")
    parsed = [_parse(value) for value in upload_ids]
    found = {
        upload.pk: upload
        for upload in Upload.objects.filter(
            pk__in=parsed, practice=practice, expires_at__gt=timezone.now()
        )
    }
    missing = [str(value) for value in parsed if value not in found]
    if missing:
        raise ServiceRefused(
            gettext("Fichier téléversé introuvable ou expiré : %(ids)s.")
            % {"ids": ", ".join(missing)},
            "files",
        )
    return [found[value] for value in parsed]


def _parse(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise ServiceRefused(
            gettext("Identifiant de fichier téléversé invalide : %(id)s.") % {"id": value},
            "files",
        ) from error


class OpenedUploads:
    """The uploads' contents as the serve call takes them, closed on the way out."""

    def __init__(self, uploads: Iterable[Upload]) -> None:
        self._uploads = list(uploads)
        self._streams: list[IO[bytes]] = []

    def __enter__(self) -> list[IncomingFile]:
        files = []
        try:
            for upload in self._uploads:
                stream = work_store.open_stream(upload.key)
                self._streams.append(stream)
                files.append(IncomingFile(stream, upload.name))
        except work_store.MissingWorkFile as missing:
            self.__exit__()
            raise ServiceRefused(
                gettext("Fichier téléversé introuvable ou expiré : %(ids)s.") % {"ids": missing},
                "files",
            ) from missing
        return files

    def __exit__(self, *_exc: object) -> None:
        for stream in self._streams:
            stream.close()
        self._streams = []


def expire_uploads(now: datetime | None = None) -> int:
    """Remove the expired uploads (row and file); how many."""
    removed = 0
    expired = Upload.objects.filter(expires_at__lte=now or timezone.now())
    for upload in expired.only("pk", "key")[:1000]:
        try:
            work_store.delete_prefix(upload.key.rsplit("/", 1)[0] + "/")
        except Exception:  # the next look tries again
            logger.exception("EDI upload %s: its file could not be removed", upload.pk)
            continue
        Upload.objects.filter(pk=upload.pk).delete()
        removed += 1
    return removed


__all__ = [
    "OpenedUploads",
    "Refusal",
    "UploadRefused",
    "expire_uploads",
    "receive_upload",
    "uploads_for_item",
]
