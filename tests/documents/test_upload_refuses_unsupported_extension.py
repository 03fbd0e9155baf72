"""F3.4: only .pdf, .doc, .docx and .odt may be served, even when the content is fine."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload


@pytest.mark.parametrize("name", ["acte.xlsx", "acte.pdf.exe", "acte", "acte.rtf"])
def test_unsupported_extension_is_refused(pdf_sample: Path, name: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        check_upload(pdf_sample, name)
    assert refused.value.message == (
        f"Le fichier « {name} » n'est pas d'un type accepté : seuls les fichiers PDF, DOC, "
        "DOCX et ODT peuvent être signifiés."
    )
