"""F3.6: preview an act of the draft as the PDF/A it will be served as.

The preview is made by the convert step's own call (``convert_to_pdfa``, same level, the
warm LibreOffice for office files), so what the bailiff sees is what will be signed. The
PDF/A and the images of its first pages are cached in the draft folder, under the draft
file's id (``drafts.preview_folder``): a second look costs no conversion, and removing the
file or clearing the draft removes its preview.

Files are only ever found through ``drafts.find`` — the session's own draft — and page
images by number: nothing a request sends becomes a path.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from django.conf import settings
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.documents.office import office_converter
from securact.documents.services import (
    ConversionFailed,
    DocumentKind,
    PdfaLevel,
    convert_to_pdfa,
)
from securact.significations import drafts
from securact.significations.models import Signification

logger = logging.getLogger(__name__)

MAX_PAGES = 5
# pdftoppm scales the longest side of each page to this many pixels: readable on screen,
# small on disk, and bounded whatever page size the act declares.
IMAGE_SIZE = 900
PDFA_NAME = "preview.pdfa.pdf"
# One gunicorn process runs several threads: let one of them (re)start the warm LibreOffice.
_office_lock = threading.Lock()


class PreviewFailed(Refusal):
    """No preview for this file; ``message`` is French and says why."""


@dataclass(frozen=True)
class Preview:
    file: drafts.DraftFile
    level: PdfaLevel
    pdfa: Path
    pages: int
    images: list[Path]

    @property
    def shown(self) -> int:
        return len(self.images)


def service_level() -> PdfaLevel:
    """The level the convert step will use: a new signification's ``pdfa_level``."""
    return PdfaLevel(Signification._meta.get_field("pdfa_level").get_default())


def preview_of(session: Any, file: drafts.DraftFile) -> Preview:
    """The preview of ``file`` (a file of this session's draft), made once then reused.

    Raises ``PreviewFailed`` when the act cannot be converted or its pages not drawn; the
    draft is left as it was.
    """
    folder = drafts.preview_folder(session, file)
    level = service_level()
    pdfa = folder / PDFA_NAME
    try:
        _convert(file, pdfa, level)
        pages = _page_count(pdfa)
        images = _page_images(pdfa, folder, min(pages, MAX_PAGES))
    except ConversionFailed as failure:
        logger.warning("preview of draft file %s not converted: %s", file.id, failure.message)
        raise PreviewFailed(_conversion_message(failure)) from failure
    except (pikepdf.PdfError, OSError, subprocess.SubprocessError) as error:
        logger.error("preview of draft file %s failed: %r", file.id, error)
        raise PreviewFailed(_unreadable_message()) from error
    return Preview(file, level, pdfa, pages, images)


def _convert(file: drafts.DraftFile, pdfa: Path, level: PdfaLevel) -> None:
    kind = DocumentKind(file.kind)
    if kind is not DocumentKind.PDF:
        _ensure_office_running()
    # Does nothing when ``pdfa`` already is a signing-ready PDF/A of ``level``.
    convert_to_pdfa(Path(file.path), kind, pdfa, level)


def _ensure_office_running() -> None:
    """The workers' warm LibreOffice: the same port and start lock as theirs, so whichever
    process comes first starts it and the others use it."""
    with _office_lock:
        office_converter().ensure_running()


def _page_count(pdfa: Path) -> int:
    with pikepdf.open(pdfa) as pdf:
        return len(pdf.pages)


def page_image(preview: Preview, number: int) -> Path | None:
    """The image of page ``number`` (from 1) if the preview shows it."""
    return preview.images[number - 1] if 1 <= number <= preview.shown else None


def _image_path(folder: Path, number: int) -> Path:
    return folder / f"page-{number}.png"


def _page_images(pdfa: Path, folder: Path, count: int) -> list[Path]:
    wanted = [_image_path(folder, n) for n in range(1, count + 1)]
    if not all(path.is_file() for path in wanted):
        _render(pdfa, folder, count)
    return wanted


def _render(pdfa: Path, folder: Path, count: int) -> None:
    """Draw pages 1 to ``count`` with poppler's pdftoppm, then move them into place by
    rename: a half-written image is never served, nor taken for a cached one."""
    with tempfile.TemporaryDirectory(dir=folder, prefix=".pages.") as work:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "1",
                "-l",
                str(count),
                "-scale-to",
                str(IMAGE_SIZE),
                str(pdfa),
                str(Path(work) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=settings.SECURACT_CONVERSION_TIMEOUT,
        )
        # pdftoppm pads page numbers to the width of the last one (page-01.png…): sorted
        # names are page order.
        drawn = sorted(Path(work).glob("page-*.png"))
        if len(drawn) != count:
            raise OSError(f"pdftoppm drew {len(drawn)} of {count} pages")
        for number, image in enumerate(drawn, start=1):
            image.replace(_image_path(folder, number))


def _conversion_message(failure: ConversionFailed) -> str:
    if failure.transient:
        # The converter's own text promises an automatic retry, which holds for the
        # service process, not for a preview.
        return gettext(
            "Le service de conversion est momentanément indisponible : réessayez l'aperçu "
            "dans quelques instants."
        )
    return failure.message


def _unreadable_message() -> str:
    return gettext(
        "L'aperçu PDF/A de cet acte n'a pas pu être produit. Retirez-le, puis déposez-le à nouveau."
    )
