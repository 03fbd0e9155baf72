"""F4.1: a PDF becomes PDF/A-2b through Ghostscript, whole and structurally sound."""

import subprocess
from pathlib import Path

import pikepdf

from securact.documents.conversion import pdfa_claim
from tests.documents import samples
from tests.documents.samples import Converter


def test_pdf_becomes_pdfa_2b(converted: Converter, pdf_sample: Path) -> None:
    assert pdfa_claim(pdf_sample) is None  # the source claims nothing
    pdfa = converted("pdf")
    assert pdfa_claim(pdfa) == "2B"
    subprocess.run(["qpdf", "--check", str(pdfa)], check=True, capture_output=True)


def test_pdf_conversion_keeps_every_page_and_its_text(
    converted: Converter, pdf_sample: Path
) -> None:
    pdfa = converted("pdf")
    with pikepdf.open(pdf_sample) as source, pikepdf.open(pdfa) as result:
        assert len(result.pages) == len(source.pages) == 2
    text = samples.pdf_text(pdfa)
    assert "Acte de signification - page 1" in text
    assert "Acte de signification - page 2" in text


def test_pdfa_embeds_the_srgb_output_intent(converted: Converter) -> None:
    with pikepdf.open(converted("pdf")) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        assert "/DestOutputProfile" in intent
