"""F4.1: converting again to a finished, verified PDF/A does nothing; anything else at the
destination is replaced atomically."""

import hashlib
from pathlib import Path

from pyhanko.sign import signers

from securact.documents.conversion import (
    PdfaLevel,
    convert_to_pdfa,
    make_signing_ready,
    pdfa_claim,
)
from securact.documents.kinds import DocumentKind
from tests.documents import samples


def _fingerprint(path: Path) -> tuple[int, int, str]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_conversion_leaves_the_file_untouched(tmp_path: Path, pdf_sample: Path) -> None:
    dest = tmp_path / "acte-pdfa.pdf"
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest)
    first = _fingerprint(dest)
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest)
    assert _fingerprint(dest) == first
    assert [p.name for p in tmp_path.iterdir()] == ["acte-pdfa.pdf"]  # no work files left


def test_unfinished_destination_is_redone(tmp_path: Path, pdf_sample: Path) -> None:
    dest = tmp_path / "acte-pdfa.pdf"
    dest.write_bytes(pdf_sample.read_bytes())  # e.g. a copy, not a finished PDF/A
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest)
    assert pdfa_claim(dest) == "2B"


def test_other_level_at_destination_is_redone(tmp_path: Path, pdf_sample: Path) -> None:
    dest = tmp_path / "acte-pdfa.pdf"
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest, PdfaLevel.A2B)
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest, PdfaLevel.A1B)
    assert pdfa_claim(dest) == "1B"


def test_signed_destination_is_never_rewritten(
    tmp_path: Path, pdf_sample: Path, signer: signers.SimpleSigner
) -> None:
    """Should the step run again after the act was signed in place, the signature stays."""
    dest = tmp_path / "acte-pdfa.pdf"
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest)
    samples.sign_prepared_field(dest, tmp_path / "signed.pdf", signer).replace(dest)
    signed = _fingerprint(dest)
    convert_to_pdfa(pdf_sample, DocumentKind.PDF, dest)
    make_signing_ready(dest)
    assert _fingerprint(dest) == signed
