"""Conversion of an accepted act to a signing-ready PDF/A (F4.1).

PDFs go through Ghostscript (a PDF never goes through Writer), office files through the warm
LibreOffice of ``unoserver``. Whatever the converter says, the result's PDF/A claim is then
checked with pikepdf, the file is made signing-ready, and only then does it appear at
``dest``, by an atomic rename: a crash leaves either nothing or a finished file there, and a
finished file is never redone (the step is idempotent).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

import pikepdf
from django.conf import settings
from django.utils.translation import gettext

from securact.documents.ghostscript import ghostscript_to_pdfa
from securact.documents.kinds import ConversionFailed, DocumentKind, PdfaLevel
from securact.documents.pdfa import (
    is_signing_ready,
    make_signing_ready,
    pdfa_claim,
)
from securact.documents.unoserver import convert_office

__all__ = [
    "ConversionFailed",
    "PdfaLevel",
    "convert_to_pdfa",
    "is_converted",
    "make_signing_ready",
    "pdfa_claim",
]

logger = logging.getLogger(__name__)

DESCRIPTIVE_INFO = ("/Title", "/Author", "/Subject", "/Keywords")


def convert_to_pdfa(
    source: Path, kind: DocumentKind, dest: Path, level: PdfaLevel = PdfaLevel.A2B
) -> None:
    """Write ``source`` (an accepted upload of ``kind``) to ``dest`` as a signing-ready
    PDF/A of ``level``; do nothing if ``dest`` already is one.

    Raises ``ConversionFailed`` (``transient`` when a retry may succeed).
    """
    kind, level = DocumentKind(kind), PdfaLevel(level)  # callers may pass stored strings
    if is_converted(dest, level):
        return
    started = time.monotonic()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # The work directory sits next to dest so that the final rename stays on one filesystem.
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}.") as work:
        produced = Path(work) / "converted.pdf"
        _convert(source, kind, produced, level, Path(work))
        _require_claim(produced, level, part_only=True)
        if kind is DocumentKind.PDF:
            _require_same_pages(source, produced)
            _restore_document_info(source, produced)
        make_signing_ready(produced)
        _require_claim(produced, level)
        _fsync(produced)
        produced.replace(dest)
    _fsync(dest.parent)
    logger.info(
        "converted %s (%s) to PDF/A-%s in %.2f s",
        dest.name,
        kind,
        level,
        time.monotonic() - started,
    )


def is_converted(dest: Path, level: PdfaLevel) -> bool:
    """Is ``dest`` already a signing-ready PDF/A of ``level``?"""
    return dest.is_file() and pdfa_claim(dest) == level.claim and is_signing_ready(dest)


def _convert(
    source: Path, kind: DocumentKind, produced: Path, level: PdfaLevel, work: Path
) -> None:
    timeout = settings.SECURACT_CONVERSION_TIMEOUT
    if kind is DocumentKind.PDF:
        ghostscript_to_pdfa(source, produced, level, work, timeout)
    else:
        convert_office(source, produced, level, timeout, kind=kind)


def _require_claim(path: Path, level: PdfaLevel, *, part_only: bool = False) -> None:
    """The converters may exit 0 and still not produce PDF/A: trust only the file.

    Straight out of a converter, the part must match (LibreOffice claims 1A for PDF/A-1);
    once signing-ready, the exact claim must.
    """
    claim = pdfa_claim(path) or ""
    if claim == level.claim or (part_only and claim[:1] == level.value[:1]):
        return
    logger.error("conversion produced PDF/A claim %r instead of %s", claim, level.claim)
    raise ConversionFailed(
        gettext(
            "La conversion n'a pas produit un PDF/A-%(level)s valide : le document ne peut "
            "pas être signifié en l'état."
        )
        % {"level": level.claim}
    )


def _require_same_pages(source: Path, produced: Path) -> None:
    with pikepdf.open(source) as original, pikepdf.open(produced) as converted:
        expected, found = len(original.pages), len(converted.pages)
    if expected != found:
        logger.error("conversion of %s kept %s of %s pages", source, found, expected)
        raise ConversionFailed(
            gettext(
                "La conversion en PDF/A a perdu des pages (%(found)s sur %(expected)s) : le "
                "document ne peut pas être signifié en l'état."
            )
            % {"found": found, "expected": expected}
        )


def _restore_document_info(source: Path, produced: Path) -> None:
    """Ghostscript 10.0 drops the whole info dictionary of a PDF/A as soon as one entry is
    not ASCII ("cannot be represented in XMP … discarding DOCINFO"), and French titles never
    are: put the descriptive entries back, in the info dictionary and the XMP alike."""
    with pikepdf.open(source) as original:
        info = original.trailer.get("/Info")
        kept = {
            key: str(info[key])
            for key in DESCRIPTIVE_INFO
            if info is not None and key in info and str(info[key]).strip()
        }
    if not kept:
        return
    with pikepdf.open(produced, allow_overwriting_input=True) as pdf:
        for key, value in kept.items():
            pdf.docinfo[key] = pikepdf.String(value)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta.load_from_docinfo(kept, raise_failure=True)
        pdf.save(produced)


def _fsync(path: Path) -> None:
    """Make the file (or the rename in a directory) durable before anyone relies on it."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
