"""F4.1: a PDF's accented title, author, subject and keywords survive the conversion, in the
info dictionary and the XMP alike (Ghostscript 10.0 drops them all when one is not ASCII)."""

from pathlib import Path

import pikepdf
import pytest

from securact.documents.conversion import PdfaLevel, convert_to_pdfa
from securact.documents.kinds import DocumentKind
from tests.documents import samples

INFO = {
    "/Title": "Acte n° 2026-001 – signification à la Société Exemple",
    "/Author": "Maître Hélène Dupont, commissaire de justice",
    "/Subject": "Signification d'un jugement",
    "/Keywords": "signification; jugement; saisie-attribution",
}


@pytest.fixture(scope="module")
def described_pdf(pdf_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def describe(pdf: pikepdf.Pdf) -> None:
        for key, value in INFO.items():
            pdf.docinfo[key] = pikepdf.String(value)

    return samples.edited_pdf(pdf_sample, tmp_path_factory.mktemp("info") / "acte.pdf", describe)


@pytest.mark.parametrize("level", list(PdfaLevel))
def test_document_info_survives_conversion(
    described_pdf: Path, tmp_path: Path, level: PdfaLevel
) -> None:
    dest = tmp_path / "acte-pdfa.pdf"
    convert_to_pdfa(described_pdf, DocumentKind.PDF, dest, level)
    with pikepdf.open(dest) as pdf:
        assert {key: str(pdf.docinfo.get(key)) for key in INFO} == INFO
        meta = pdf.open_metadata()
        assert meta["dc:title"] == INFO["/Title"]
        assert meta["dc:creator"] == [INFO["/Author"]]
        assert meta["dc:description"] == INFO["/Subject"]
        assert meta["pdf:Keywords"] == INFO["/Keywords"]
    if level is PdfaLevel.A1B:
        report = samples.preflight_a1b(dest)
        assert "is a valid PDF/A-1b file" in report.stdout, report.stdout
