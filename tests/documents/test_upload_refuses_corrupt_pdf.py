"""F3.4: a damaged PDF (here a truncated upload) is refused rather than repaired, because a
repaired file may silently miss pages."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples

CORRUPT = (
    "Le fichier « acte.pdf » est un PDF endommagé ou incomplet : enregistrez-le à nouveau "
    "depuis le logiciel qui l'a produit, puis déposez-le."
)


@pytest.mark.parametrize("fraction", [0.3, 0.97])
def test_truncated_pdf_is_refused(tmp_path: Path, pdf_sample: Path, fraction: float) -> None:
    broken = samples.truncated(pdf_sample, tmp_path / "acte.pdf", fraction)
    with pytest.raises(UploadRefused) as refused:
        check_upload(broken, "acte.pdf")
    assert refused.value.message == CORRUPT


def test_pdf_header_without_a_document_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "acte.pdf"
    fake.write_bytes(b"%PDF-1.7\nceci n'est pas un PDF\n")
    with pytest.raises(UploadRefused) as refused:
        check_upload(fake, "acte.pdf")
    assert refused.value.message == CORRUPT
