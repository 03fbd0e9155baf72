"""F3.4: PDF, DOCX, ODT and DOC files are accepted and recognised by their content."""

from pathlib import Path

import pytest

from securact.documents.services import DocumentKind, check_upload


@pytest.mark.parametrize(
    ("sample", "name", "kind"),
    [
        ("pdf_sample", "acte.pdf", DocumentKind.PDF),
        ("pdf_sample", "ACTE FINAL.PDF", DocumentKind.PDF),
        ("docx_sample", "acte.docx", DocumentKind.DOCX),
        ("odt_sample", "acte.odt", DocumentKind.ODT),
        ("doc_sample", "acte.doc", DocumentKind.DOC),
    ],
)
def test_supported_document_is_accepted_with_its_kind(
    request: pytest.FixtureRequest, sample: str, name: str, kind: DocumentKind
) -> None:
    path: Path = request.getfixturevalue(sample)
    assert check_upload(path, name) is kind
