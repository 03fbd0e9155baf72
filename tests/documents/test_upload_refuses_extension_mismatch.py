"""F3.4: the extension must agree with the content, and the refusal says what the file is."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload


@pytest.mark.parametrize(
    ("sample", "name", "actual"),
    [
        ("pdf_sample", "acte.docx", "un PDF"),
        ("docx_sample", "acte.pdf", "un document Word (.docx)"),
        ("odt_sample", "acte.docx", "un texte OpenDocument (.odt)"),
        ("doc_sample", "acte.docx", "un document Word 97-2003 (.doc)"),
        ("docx_sample", "acte.doc", "un document Word (.docx)"),
    ],
)
def test_extension_contradicting_content_is_refused(
    request: pytest.FixtureRequest, sample: str, name: str, actual: str
) -> None:
    path: Path = request.getfixturevalue(sample)
    with pytest.raises(UploadRefused) as refused:
        check_upload(path, name)
    extension = Path(name).suffix
    assert refused.value.message == (
        f"Le fichier « {name} » porte l'extension {extension} mais son contenu est {actual} : "
        "corrigez son nom ou déposez le bon fichier."
    )
