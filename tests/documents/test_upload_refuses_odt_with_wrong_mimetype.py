"""F3.4: an OpenDocument file that is not a text document (here a declared spreadsheet) is
refused even when named .odt."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples

SPREADSHEET = b"application/vnd.oasis.opendocument.spreadsheet"


def test_odt_declaring_another_mimetype_is_refused(tmp_path: Path, odt_sample: Path) -> None:
    other = samples.rezipped(odt_sample, tmp_path / "acte.odt", replace={"mimetype": SPREADSHEET})
    with pytest.raises(UploadRefused) as refused:
        check_upload(other, "acte.odt")
    assert refused.value.message == (
        "Le fichier « acte.odt » n'est pas un texte OpenDocument : il se déclare de type "
        "« application/vnd.oasis.opendocument.spreadsheet » au lieu de "
        "« application/vnd.oasis.opendocument.text »."
    )
