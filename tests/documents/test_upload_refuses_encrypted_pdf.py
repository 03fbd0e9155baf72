"""F3.4: an encrypted PDF is refused, with or without a password needed to open it."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples


@pytest.mark.parametrize("user_password", ["secret", ""], ids=["user-password", "owner-only"])
def test_encrypted_pdf_is_refused(tmp_path: Path, pdf_sample: Path, user_password: str) -> None:
    encrypted = samples.encrypted_pdf(pdf_sample, tmp_path / "acte.pdf", user_password)
    with pytest.raises(UploadRefused) as refused:
        check_upload(encrypted, "acte.pdf")
    assert refused.value.message == (
        "Le fichier « acte.pdf » est un PDF chiffré ou protégé par un mot de passe : déposez "
        "une version sans protection."
    )
