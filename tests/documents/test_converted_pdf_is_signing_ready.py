"""F4.1: a converted act is ready to be signed without losing PDF/A: one Producer on both
sides, dates written +00'00' and matching the XMP, and an empty invisible field Signature1."""

import re
from datetime import datetime

import pikepdf
import pytest

from securact.documents.conversion import PdfaLevel
from securact.documents.pdfa import PRODUCER
from tests.documents.samples import Converter

CASES = [("pdf", PdfaLevel.A2B), ("docx", PdfaLevel.A2B), ("odt", PdfaLevel.A1B)]


@pytest.mark.parametrize(("kind", "level"), CASES)
def test_signature_field_is_ready(converted: Converter, kind: str, level: PdfaLevel) -> None:
    with pikepdf.open(converted(kind, level)) as pdf:
        acroform = pdf.Root.AcroForm
        assert acroform.SigFlags == 3
        assert "/NeedAppearances" not in acroform
        (field,) = [f for f in acroform.Fields if str(f.get("/T")) == "Signature1"]
        assert str(field.FT) == "/Sig"
        assert "/V" not in field  # empty: nothing signed yet
        assert [float(x) for x in field.Rect] == [0, 0, 0, 0]
        assert int(field.F) == 132  # printable and locked, never hidden
        assert field.AP.N.read_bytes() == b""
        assert any(annot.objgen == field.objgen for annot in pdf.pages[0].Annots)


@pytest.mark.parametrize(("kind", "level"), CASES)
def test_metadata_agrees_between_info_and_xmp(
    converted: Converter, kind: str, level: PdfaLevel
) -> None:
    with pikepdf.open(converted(kind, level)) as pdf:
        meta = pdf.open_metadata()
        assert str(pdf.docinfo.Producer) == meta["pdf:Producer"] == PRODUCER
        assert "/CreationDate" in pdf.docinfo
        for info_key, xmp_key in [
            ("/CreationDate", "xmp:CreateDate"),
            ("/ModDate", "xmp:ModifyDate"),
        ]:
            if info_key not in pdf.docinfo:
                assert xmp_key not in meta
                continue
            written = str(pdf.docinfo[info_key])
            assert re.fullmatch(r"D:\d{14}\+00'00'", written), written
            as_info = datetime.strptime(written[2:16] + "+0000", "%Y%m%d%H%M%S%z")
            assert datetime.fromisoformat(meta[xmp_key]) == as_info


def test_libreoffice_level_a_claim_is_lowered_to_b(converted: Converter) -> None:
    """LibreOffice claims PDF/A-1a; with an untagged signature widget the claim is 1b."""
    with pikepdf.open(converted("odt", PdfaLevel.A1B)) as pdf:
        assert pdf.open_metadata().pdfa_status == "1B"
