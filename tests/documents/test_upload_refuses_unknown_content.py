"""F3.4: the content decides — an image or a text file named like an act is refused."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples


def _expected(name: str) -> str:
    return (
        f"Le contenu du fichier « {name} » n'est ni un PDF, ni un document Word (.doc, .docx), "
        "ni un texte OpenDocument (.odt) : ce type de fichier n'est pas accepté."
    )


def test_png_named_pdf_is_refused(tmp_path: Path) -> None:
    png = samples.ghostscript_png(tmp_path / "scan.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(UploadRefused) as refused:
        check_upload(png, "scan.pdf")
    assert refused.value.message == _expected("scan.pdf")


def test_text_named_docx_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes"
    text.write_text("Acte de signification\n", encoding="utf-8")
    with pytest.raises(UploadRefused) as refused:
        check_upload(text, "notes.docx")
    assert refused.value.message == _expected("notes.docx")


def test_zip_that_is_no_document_is_refused(tmp_path: Path, pdf_sample: Path) -> None:
    import zipfile

    archive = tmp_path / "archive"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(pdf_sample, "acte.pdf")
    with pytest.raises(UploadRefused) as refused:
        check_upload(archive, "actes.docx")
    assert refused.value.message == _expected("actes.docx")
