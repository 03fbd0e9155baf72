"""F3.4: a damaged office file (here truncated) is refused with a French reason."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples


@pytest.mark.parametrize(
    ("sample", "name"),
    [("docx_sample", "acte.docx"), ("odt_sample", "acte.odt"), ("doc_sample", "acte.doc")],
)
def test_truncated_office_file_is_refused(
    request: pytest.FixtureRequest, tmp_path: Path, sample: str, name: str
) -> None:
    broken = samples.truncated(request.getfixturevalue(sample), tmp_path / name, 0.5)
    with pytest.raises(UploadRefused) as refused:
        check_upload(broken, name)
    assert refused.value.message == (
        f"Le fichier « {name} » est endommagé ou incomplet et ne peut pas être lu : "
        "enregistrez-le à nouveau depuis votre traitement de texte, puis déposez-le."
    )
