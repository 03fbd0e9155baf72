"""F4.1: DOCX, ODT and DOC become PDF/A-2b through the warm LibreOffice of unoserver."""

import subprocess

import pytest

from securact.documents.conversion import pdfa_claim
from tests.documents import samples
from tests.documents.samples import Converter


@pytest.mark.parametrize("kind", ["docx", "odt", "doc"])
def test_office_document_becomes_pdfa_2b(converted: Converter, kind: str) -> None:
    pdfa = converted(kind)
    assert pdfa_claim(pdfa) == "2B"
    subprocess.run(["qpdf", "--check", str(pdfa)], check=True, capture_output=True)
    text = samples.pdf_text(pdfa)
    assert samples.ACT_TEXT in text
    assert "soussigné signifie à la société" in text
