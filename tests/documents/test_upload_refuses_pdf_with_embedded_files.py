"""F3.4: a PDF with embedded files is refused: each document must be served on its own."""

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples


@pytest.mark.parametrize(
    "edit",
    [samples.add_attachment, samples.add_file_attachment_annotation],
    ids=["attachments", "file-attachment-annotation"],
)
def test_pdf_with_embedded_file_is_refused(
    tmp_path: Path, pdf_sample: Path, edit: Callable[[pikepdf.Pdf], None]
) -> None:
    carrying = samples.edited_pdf(pdf_sample, tmp_path / "acte.pdf", edit)
    with pytest.raises(UploadRefused) as refused:
        check_upload(carrying, "acte.pdf")
    assert refused.value.message == (
        "Le fichier « acte.pdf » contient des fichiers incorporés (pièces jointes au PDF), "
        "interdits dans un acte signifié : déposez chaque pièce comme un fichier séparé."
    )
