"""Uploaded acts (F3.4): streamed to disk, then judged by their content.

``save_upload`` writes a file under a generated name without ever holding it whole in memory;
``check_upload`` decides what the file is from its bytes and container structure, requires
the extension to agree, and refuses what must not be served, each time with a French reason
that names the file. The PDF and office checks live in ``pdf_inspection`` and
``office_inspection``.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from collections.abc import Callable
from enum import Enum
from pathlib import Path, PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_noop

from securact.documents.kinds import DocumentKind, UploadRefused
from securact.documents.office_inspection import (
    check_doc,
    check_docx,
    check_odt,
    identify_ole,
    identify_zip,
    unknown_content,
)
from securact.documents.pdf_inspection import check_pdf

__all__ = [
    "DocumentKind",
    "UploadRefused",
    "check_file_name",
    "check_total_size",
    "check_upload",
    "clean_file_name",
    "save_upload",
]

CHUNK_BYTES = 1024 * 1024
EXTENSIONS = {f".{kind.value}": kind for kind in DocumentKind}
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024  # readers accept the header anywhere in the first kilobyte
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_MAGIC = b"PK\x03\x04"
# Django cuts an uploaded file's name to 255 characters without a word: a limit below that
# refuses such a name rather than serving it cut (and keeps it in the 255 of the columns).
MAX_NAME_CHARS = 250
# Controls (NUL, ESC…), format characters (U+202E and the other bidirectional controls,
# zero-width marks), surrogates, private-use and unassigned code points: they make a name
# look like another (``acte\u202efdp.exe`` shows as ``acteexe.pdf``) or break the files that
# carry it, as do line and paragraph separators. Other spaces (no-break…) become plain ones.
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SPACES = {"Zs"}
CHECKS: dict[DocumentKind, Callable[[Path, str], None]] = {
    DocumentKind.PDF: check_pdf,
    DocumentKind.DOC: check_doc,
    DocumentKind.DOCX: check_docx,
    DocumentKind.ODT: check_odt,
}


class Container(Enum):
    PDF = "pdf"
    OLE = "ole"
    ZIP = "zip"


def clean_file_name(name: str) -> str:
    """``name`` as it is recorded and shown: without the characters that hide what it is.

    The one cleaning of an act's name, whatever brought it (web form, command line, EDI):
    Django's multipart parser drops non-printable characters from a browser's file name, a
    path given on the command line keeps them."""
    kept = (
        " " if unicodedata.category(char) in _SPACES else char
        for char in name
        if unicodedata.category(char) not in _DROPPED
    )
    return "".join(kept).strip()


def check_file_name(name: str) -> None:
    """Refuse a name longer than the service records (``MAX_NAME_CHARS``)."""
    if len(name) > MAX_NAME_CHARS:
        raise UploadRefused(
            gettext(
                "Le nom du fichier « %(name)s… » dépasse %(limit)d caractères : "
                "raccourcissez-le, puis déposez-le à nouveau."
            )
            % {"name": name[:40], "limit": MAX_NAME_CHARS}
        )


def save_upload(
    stream: IO[bytes], original_name: str, dest_dir: Path, *, max_bytes: int | None = None
) -> Path:
    """Copy ``stream`` into a new file of ``dest_dir`` and return its path.

    The file gets a generated name (the bailiff's file name never reaches the filesystem).
    A name longer than ``MAX_NAME_CHARS`` is refused first.
    Past ``max_bytes`` (default ``SECURACT_MAX_FILE_BYTES``) the copy stops, the partial file
    is deleted and the upload refused; an empty upload is refused too.
    """
    check_file_name(original_name)  # before a byte is read
    limit = settings.SECURACT_MAX_FILE_BYTES if max_bytes is None else max_bytes
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / f"{uuid.uuid4().hex}.upload"
    try:
        written = _copy_bounded(stream, path, limit, original_name)
        if written == 0:
            raise _empty(original_name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _copy_bounded(stream: IO[bytes], path: Path, limit: int, name: str) -> int:
    written = 0
    with path.open("xb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            written += len(chunk)
            if written > limit:
                raise _too_large(name, limit)
            out.write(chunk)
        # Durable before the signification that records it is committed.
        out.flush()
        os.fsync(out.fileno())
    return written


def check_upload(path: Path, original_name: str) -> DocumentKind:
    """What ``path`` (uploaded as ``original_name``) is, or ``UploadRefused``.

    The kind is decided by the content; the extension must name the same kind. Then the
    kind's own checks run (encryption, active content, macros, archive bombs…).
    """
    claimed = _claimed_kind(original_name)
    if path.stat().st_size == 0:
        raise _empty(original_name)
    container = _sniff(path, original_name)
    if container is Container.PDF:
        kind = DocumentKind.PDF
    elif container is Container.OLE:
        kind = identify_ole(path, original_name)
    else:
        kind = identify_zip(path, original_name)
    if kind is not claimed:
        raise _mismatch(original_name, kind)
    CHECKS[kind](path, original_name)
    return kind


def check_total_size(sizes: list[int]) -> None:
    """Refuse a signification whose files together pass ``SECURACT_MAX_SIGNIFICATION_BYTES``."""
    limit = settings.SECURACT_MAX_SIGNIFICATION_BYTES
    total = sum(sizes)
    if total > limit:
        raise UploadRefused(
            gettext(
                "L'ensemble des fichiers de la signification (%(total)s) dépasse la taille "
                "maximale autorisée (%(limit)s) : retirez ou allégez des fichiers."
            )
            % {"total": filesizeformat(total), "limit": filesizeformat(limit)}
        )


def _claimed_kind(original_name: str) -> DocumentKind:
    kind = EXTENSIONS.get(PurePath(original_name).suffix.lower())
    if kind is None:
        raise UploadRefused(
            gettext(
                "Le fichier « %(name)s » n'est pas d'un type accepté : seuls les fichiers "
                "PDF, DOC, DOCX et ODT peuvent être signifiés."
            )
            % {"name": original_name}
        )
    return kind


def _sniff(path: Path, name: str) -> Container:
    with path.open("rb") as stream:
        head = stream.read(PDF_HEADER_WINDOW)
    # Container signatures sit at offset 0; only then may a PDF header appear a little later.
    if head.startswith(OLE_MAGIC):
        return Container.OLE
    if head.startswith(ZIP_MAGIC):
        return Container.ZIP
    if PDF_MAGIC in head:
        return Container.PDF
    raise unknown_content(name)


_KIND_LABELS = {
    DocumentKind.PDF: gettext_noop("un PDF"),
    DocumentKind.DOC: gettext_noop("un document Word 97-2003 (.doc)"),
    DocumentKind.DOCX: gettext_noop("un document Word (.docx)"),
    DocumentKind.ODT: gettext_noop("un texte OpenDocument (.odt)"),
}


def _mismatch(name: str, actual: DocumentKind) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » porte l'extension %(extension)s mais son contenu est "
            "%(actual)s : corrigez son nom ou déposez le bon fichier."
        )
        % {
            "name": name,
            "extension": PurePath(name).suffix.lower(),
            "actual": gettext(_KIND_LABELS[actual]),
        }
    )


def _empty(name: str) -> UploadRefused:
    return UploadRefused(gettext("Le fichier « %(name)s » est vide.") % {"name": name})


def _too_large(name: str, limit: int) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » dépasse la taille maximale autorisée pour un fichier "
            "(%(limit)s)."
        )
        % {"name": name, "limit": filesizeformat(limit)}
    )
