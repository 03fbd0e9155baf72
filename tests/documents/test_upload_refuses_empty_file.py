"""F3.4: an empty file is refused, whatever its extension."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload


@pytest.mark.parametrize("name", ["acte.pdf", "acte.docx", "acte.odt", "acte.doc"])
def test_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    empty = tmp_path / "upload"
    empty.touch()
    with pytest.raises(UploadRefused) as refused:
        check_upload(empty, name)
    assert refused.value.message == f"Le fichier « {name} » est vide."
