"""F4.1 → F4.2: pyHanko signs the prepared field Signature1 (``existing_fields_only``), and
the signed file keeps its PDF/A claim, one Producer, and (1b) passes Preflight."""

from pathlib import Path

import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from securact.documents.conversion import PdfaLevel, pdfa_claim
from tests.documents import samples
from tests.documents.samples import Converter


@pytest.mark.parametrize(("kind", "level"), [("pdf", PdfaLevel.A2B), ("docx", PdfaLevel.A2B)])
def test_signed_act_keeps_pdfa_and_one_producer(
    converted: Converter, signer: signers.SimpleSigner, tmp_path: Path, kind: str, level: PdfaLevel
) -> None:
    signed = samples.sign_prepared_field(converted(kind, level), tmp_path / "signed.pdf", signer)
    assert pdfa_claim(signed) == level.claim
    with pikepdf.open(signed) as pdf:
        assert str(pdf.docinfo.Producer) == pdf.open_metadata()["pdf:Producer"]
        assert len(pdf.Root.AcroForm.Fields) == 1  # the prepared field, no new one
    with signed.open("rb") as stream:
        (signature,) = PdfFileReader(stream).embedded_signatures
        assert signature.field_name == "Signature1"
        trust = ValidationContext(trust_roots=[signer.signing_cert])
        status = validate_pdf_signature(signature, trust)
        assert status.intact and status.valid


@pytest.mark.parametrize("kind", ["pdf", "odt"])
def test_signed_pdfa_1b_still_passes_preflight(
    converted: Converter, signer: signers.SimpleSigner, tmp_path: Path, kind: str
) -> None:
    signed = samples.sign_prepared_field(
        converted(kind, PdfaLevel.A1B), tmp_path / "signed.pdf", signer
    )
    report = samples.preflight_a1b(signed)
    assert "is a valid PDF/A-1b file" in report.stdout, report.stdout
