"""F3.4: a PDF that would launch a program is refused."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples


def test_pdf_with_launch_action_is_refused(tmp_path: Path, pdf_sample: Path) -> None:
    launching = samples.edited_pdf(pdf_sample, tmp_path / "acte.pdf", samples.add_launch_action)
    with pytest.raises(UploadRefused) as refused:
        check_upload(launching, "acte.pdf")
    assert refused.value.message == (
        "Le fichier « acte.pdf » contient une action qui lance un programme, interdite dans un "
        "acte signifié : déposez un PDF sans action de lancement."
    )
