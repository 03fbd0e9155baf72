"""Refusals of uploaded office files (F3.4): Word 97 (OLE compound files), DOCX and ODT (ZIP
containers).

ZIP containers are judged from their central directory first (entry count, expanded size,
compression ratio) and then read entry by entry with those bounds enforced, so that an archive
bomb is refused before anything — us or LibreOffice — expands it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msoffcrypto
import olefile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from securact.documents.kinds import DocumentKind, UploadRefused

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_ENTRIES = 10_000
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024  # small entries (XML, thumbnails) may compress very well
SMALL_ENTRY_BYTES = 1024 * 1024  # bound for the entries we read into memory
READ_CHUNK = 64 * 1024
MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)
OLE_MACRO_STORAGES = {"macros", "vba", "_vba_project_cur"}
OLE_ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")


# --- OLE compound files (.doc, and password-protected OOXML) ---------------------------


def identify_ole(path: Path, name: str) -> DocumentKind:
    """DOC for a Word 97 file; refuses encrypted files and any other compound file."""
    with _open_ole(path, name) as ole:
        if any(ole.exists(stream) for stream in OLE_ENCRYPTION_STREAMS):
            # A password-protected DOCX is an OLE file holding the encrypted package.
            raise _password_protected(name)
        if not ole.exists("WordDocument"):
            raise unknown_content(name)
    if _doc_is_encrypted(path, name):
        raise _password_protected(name)
    return DocumentKind.DOC


def check_doc(path: Path, name: str) -> None:
    """Refuse a Word 97 file carrying a VBA project (``Macros/VBA`` storage)."""
    with _open_ole(path, name) as ole:
        entries = ole.listdir(streams=True, storages=True)
    if any(part.lower() in OLE_MACRO_STORAGES for entry in entries for part in entry):
        raise _macros(name)


@contextmanager
def _open_ole(path: Path, name: str) -> Iterator[olefile.OleFileIO]:
    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError, IndexError, olefile.olefile.OleFileError) as error:
        raise _corrupt(name) from error
    try:
        yield ole
    finally:
        ole.close()


def _doc_is_encrypted(path: Path, name: str) -> bool:
    """The Word 97 encryption flag lives in the document's file information block."""
    with path.open("rb") as stream:
        try:
            return bool(msoffcrypto.OfficeFile(stream).is_encrypted())
        except Exception as error:  # msoffcrypto raises many kinds on malformed files
            raise _corrupt(name) from error


# --- ZIP containers (.docx, .odt) -------------------------------------------------------


def identify_zip(path: Path, name: str) -> DocumentKind:
    """DOCX or ODT, from the container's structure; refuses bombs and foreign containers."""
    with _open_zip(path, name) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = _read_small(archive, "mimetype").strip()
            if mimetype != ODT_MIMETYPE:
                raise _not_odf_text(name, mimetype)
            return DocumentKind.ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DocumentKind.DOCX
    raise unknown_content(name)


def check_docx(path: Path, name: str) -> None:
    """Refuse a DOCX carrying a VBA project, then read it whole within the bounds."""
    with _open_zip(path, name) as archive:
        lowered = [entry.lower() for entry in archive.namelist()]
        if any(entry.endswith(("vbaproject.bin", "vbadata.xml")) for entry in lowered):
            raise _macros(name)
        if MACRO_CONTENT_TYPE.search(_read_small(archive, "[Content_Types].xml")):
            raise _macros(name)
        _read_all_entries(archive)


def check_odt(path: Path, name: str) -> None:
    """Refuse an ODT that is password-protected or carries macros, then read it whole."""
    with _open_zip(path, name) as archive:
        names = archive.namelist()
        if "META-INF/manifest.xml" not in names:
            raise _corrupt(name)
        if b"encryption-data" in _read_small(archive, "META-INF/manifest.xml"):
            raise _password_protected(name)
        # LibreOffice keeps Basic macros under Basic/ and other script languages under
        # Scripts/; dialogs under Dialogs/ only exist to serve macros.
        if any(entry.startswith(("Basic/", "Scripts/", "Dialogs/")) for entry in names):
            raise _macros(name)
        _read_all_entries(archive)


@contextmanager
def _open_zip(path: Path, name: str) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bombs(archive.infolist(), name)
            yield archive
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # an unsupported compression method
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as error:
        raise _corrupt(name) from error


def _refuse_bombs(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Judge the central directory before reading anything."""
    if len(entries) > MAX_ENTRIES or sum(entry.file_size for entry in entries) > (
        MAX_EXPANDED_BYTES
    ):
        raise _bomb(name)
    for entry in entries:
        if entry.file_size > RATIO_FREE_BYTES and (
            entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        ):
            raise _bomb(name)
    if len({entry.filename for entry in entries}) != len(entries):
        # Two entries with one name: we would check one and LibreOffice might read the other.
        raise _corrupt(name)
    if any(entry.flag_bits & 0x1 for entry in entries):  # ZIP-level encryption
        raise _password_protected(name)


def _read_small(archive: zipfile.ZipFile, entry: str) -> bytes:
    with archive.open(entry) as stream:
        data = stream.read(SMALL_ENTRY_BYTES + 1)
    if len(data) > SMALL_ENTRY_BYTES:
        raise zipfile.BadZipFile(f"{entry} is unexpectedly large")
    return data


def _read_all_entries(archive: zipfile.ZipFile) -> None:
    """Expand every entry once, in chunks, to prove the directory told the truth.

    ``zipfile`` stops each entry at its declared size and checks its CRC, so data that
    expands beyond what the directory announced ends in ``BadZipFile`` — after at most the
    bounded total has been expanded, and never to disk.
    """
    for entry in archive.infolist():
        with archive.open(entry) as stream:
            while stream.read(READ_CHUNK):
                pass


# --- messages ---------------------------------------------------------------------------


def unknown_content(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le contenu du fichier « %(name)s » n'est ni un PDF, ni un document Word (.doc, "
            ".docx), ni un texte OpenDocument (.odt) : ce type de fichier n'est pas accepté."
        )
        % {"name": name}
    )


def _password_protected(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » est protégé par un mot de passe (chiffré) : déposez une "
            "version sans protection."
        )
        % {"name": name}
    )


def _macros(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » contient des macros, interdites dans un acte signifié : "
            "enregistrez-le sans macros (en .docx ou .odt) avant de le déposer."
        )
        % {"name": name}
    )


def _corrupt(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » est endommagé ou incomplet et ne peut pas être lu : "
            "enregistrez-le à nouveau depuis votre traitement de texte, puis déposez-le."
        )
        % {"name": name}
    )


def _bomb(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » est refusé : une fois décompressé, son contenu serait "
            "anormalement volumineux (plus de %(limit)s ou taux de compression suspect)."
        )
        % {"name": name, "limit": filesizeformat(MAX_EXPANDED_BYTES)}
    )


def _not_odf_text(name: str, mimetype: bytes) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » n'est pas un texte OpenDocument : il se déclare de type "
            "« %(mimetype)s » au lieu de « application/vnd.oasis.opendocument.text »."
        )
        % {"name": name, "mimetype": mimetype[:100].decode("ascii", "replace")}
    )
