"""F4.1: a failed conversion says why in French, tells whether a retry may help, and leaves
nothing at the destination."""

from pathlib import Path

import pytest
from pytest_django import Settings

from securact.documents.conversion import ConversionFailed, convert_to_pdfa
from securact.documents.kinds import DocumentKind
from tests.documents import samples
from tests.processes import free_port


def test_unreachable_unoserver_is_a_transient_failure(
    tmp_path: Path, docx_sample: Path, settings: Settings
) -> None:
    settings.SECURACT_UNOSERVER_PORT = free_port()  # nobody listens there
    dest = tmp_path / "out" / "acte-pdfa.pdf"
    with pytest.raises(ConversionFailed) as failed:
        convert_to_pdfa(docx_sample, DocumentKind.DOCX, dest)
    assert failed.value.transient
    assert failed.value.message == (
        "Le service de conversion des documents bureautiques (LibreOffice) est momentanément "
        "indisponible ; la conversion sera relancée automatiquement."
    )
    assert list(dest.parent.iterdir()) == []


def test_pdf_ghostscript_cannot_render_is_a_permanent_failure(tmp_path: Path) -> None:
    # A content stream calling a font the page does not have: Ghostscript stops on it
    # (-dPDFSTOPONERROR) instead of serving a page with missing text.
    broken = samples.handwritten_pdf(tmp_path / "acte.pdf", b"")
    data = broken.read_bytes().replace(b"0 0 m S\n", b"BT /F9 Tf")
    broken.write_bytes(data)
    dest = tmp_path / "out" / "acte-pdfa.pdf"
    with pytest.raises(ConversionFailed) as failed:
        convert_to_pdfa(broken, DocumentKind.PDF, dest)
    assert not failed.value.transient
    assert "n'a pas pu être converti en PDF/A" in failed.value.message
    assert list(dest.parent.iterdir()) == []


def test_office_file_libreoffice_cannot_read_is_a_permanent_failure(
    tmp_path: Path, unoserver: object
) -> None:
    garbage = tmp_path / "acte.upload"
    garbage.write_bytes(b"PK\x03\x04" + bytes(200))
    dest = tmp_path / "out" / "acte-pdfa.pdf"
    with pytest.raises(ConversionFailed) as failed:
        convert_to_pdfa(garbage, DocumentKind.DOCX, dest)
    assert not failed.value.transient
    assert failed.value.message.startswith("LibreOffice n'a pas pu convertir ce document")
    assert list(dest.parent.iterdir()) == []
