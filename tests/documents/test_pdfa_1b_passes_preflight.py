"""F4.1: on demand, acts become PDF/A-1b that Apache PDFBox Preflight accepts."""

from pathlib import Path

import pytest

from securact.documents.conversion import PdfaLevel, pdfa_claim
from tests.documents import samples
from tests.documents.samples import Converter


@pytest.mark.parametrize("kind", ["pdf", "docx", "odt"])
def test_pdfa_1b_is_valid_for_preflight(converted: Converter, kind: str) -> None:
    pdfa = converted(kind, PdfaLevel.A1B)
    assert pdfa_claim(pdfa) == "1B"
    report = samples.preflight_a1b(pdfa)
    assert "is a valid PDF/A-1b file" in report.stdout, report.stdout + report.stderr
    assert report.returncode == 0


def test_preflight_rejects_a_pdf_that_is_not_pdfa(pdf_sample: Path) -> None:
    """The control: the validator as we run it does reject a plain PDF."""
    report = samples.preflight_a1b(pdf_sample)
    assert "is not a valid PDF/A-1b file" in report.stdout
    assert report.returncode != 0
