"""The PDF of an act return: the uploaded PDF checked like an act, the declaration drawn,
the recipient's pages appended, then converted to PDF/A-2b — sealed later, by the
RETURN_SEAL step (``sealing_step``); a transient converter failure is ``ReturnUnavailable``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext

from securact.delivery.letter import parties_of
from securact.documents.services import (
    ConversionFailed,
    DocumentKind,
    PdfaLevel,
    UploadRefused,
    check_upload,
    convert_to_pdfa,
    save_upload,
)
from securact.returns.deadlines import AnswerStatus
from securact.returns.declaration import Declaration
from securact.returns.documents import (
    Attachment,
    ReturnContent,
    append_pages,
    page_count,
    render_declaration,
)
from securact.returns.errors import ReturnRefused, ReturnUnavailable
from securact.significations.models import Signification
from securact.vault.storage import file_sha256

logger = logging.getLogger(__name__)


# --- the uploaded PDF ----------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedPdf:
    path: Path
    name: str
    sha256: str


def accepted_pdf(pdf: File[bytes], work: Path) -> AcceptedPdf:
    """Saved and checked like an act (content, encryption, active content…); PDF only."""
    # Control characters (a NUL no database takes) are no part of a name worth keeping.
    given = "".join(ch for ch in (pdf.name or "") if ch.isprintable())
    name = PurePath(given).name or "reponse.pdf"
    if PurePath(name).suffix.lower() != ".pdf":
        raise ReturnRefused(
            gettext("Le retour d'acte se dépose au format PDF : « %(name)s » n'en est pas un.")
            % {"name": name}
        )
    stream = pdf.file
    if stream is None:
        raise ReturnRefused(gettext("Le fichier « %(name)s » est vide.") % {"name": name})
    if stream.seekable():  # whatever read it before (a form, a virus scanner), from the start
        stream.seek(0)
    try:
        path = save_upload(stream, name, work)
        kind = check_upload(path, name)
    except UploadRefused as refused:
        raise ReturnRefused(str(refused)) from refused
    if kind is not DocumentKind.PDF:  # pragma: no cover - the extension is .pdf, checked above
        raise ReturnRefused(gettext("Le retour d'acte se dépose au format PDF."))
    return AcceptedPdf(path, name, file_sha256(path))


# --- drawing and sealing -------------------------------------------------------------------


def _content(
    signification: Signification,
    status: AnswerStatus,
    declaration: Declaration,
    attachment: Attachment | None,
    at: datetime,
) -> ReturnContent:
    return ReturnContent(
        platform=settings.SECURACT_PLATFORM_NAME,
        signification_id=signification.pk,
        reference=signification.reference,
        nature=signification.nature.label,
        parties=parties_of(signification),
        act_names=tuple(
            name
            for name in signification.acts.order_by("position").values_list(
                "deposited_name", flat=True
            )
            if name
        ),
        sent_at=signification.sent_at or at,
        deadline=status.deadline,
        deposited_at=at,
        declaration=declaration,
        attachment=attachment,
    )


def composed_pdf(
    signification: Signification,
    status: AnswerStatus,
    declaration: Declaration,
    upload: AcceptedPdf | None,
    at: datetime,
    work: Path,
) -> Path:
    """The PDF to seal: the declaration drawn, then the recipient's pages if any."""
    attachment = Attachment(upload.name, page_count(upload.path)) if upload else None
    drawn = work / "declaration.pdf"
    render_declaration(_content(signification, status, declaration, attachment, at), drawn)
    if upload is None:
        return drawn
    combined = work / "combined.pdf"
    append_pages(drawn, upload.path, combined)
    return combined


def convert_return(composed: Path, pdfa: Path, signification_id: int) -> None:
    """PDF/A-2b now (a local converter): what cannot be converted is refused to the recipient
    at once; the seal (the timestamp authority) is the RETURN_SEAL step's, later if need be."""
    try:
        convert_to_pdfa(composed, DocumentKind.PDF, pdfa, PdfaLevel.A2B)
    except ConversionFailed as error:
        logger.warning("signification %s: return not convertible: %s", signification_id, error)
        if error.transient:
            raise ReturnUnavailable(_try_again()) from error
        raise ReturnRefused(
            gettext(
                "Votre réponse n'a pas pu être convertie au format PDF/A d'archivage : "
                "vérifiez que le PDF joint s'ouvre sans erreur, puis déposez-la de nouveau."
            )
        ) from error


def _try_again() -> str:
    return gettext(
        "Le service ne peut pas convertir votre réponse pour le moment : elle n'a pas été "
        "déposée. Réessayez dans quelques minutes."
    )
