"""F3.4: password-protected office files are refused (we could not read them, and neither
could the recipient)."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from securact.documents.unoserver import UnoServerProcess
from tests.documents import samples


def _protected(name: str) -> str:
    return (
        f"Le fichier « {name} » est protégé par un mot de passe (chiffré) : déposez une "
        "version sans protection."
    )


def _refusal(path: Path, name: str) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(path, name)
    return refused.value.message


def test_encrypted_docx_is_refused(tmp_path: Path, docx_sample: Path) -> None:
    encrypted = samples.encrypted_docx(docx_sample, tmp_path / "acte.docx")
    assert _refusal(encrypted, "acte.docx") == _protected("acte.docx")


@pytest.mark.parametrize("extension", ["doc", "odt"])
def test_office_file_saved_with_password_is_refused(
    unoserver: UnoServerProcess, samples_dir: Path, odt_sample: Path, extension: str
) -> None:
    assert unoserver.uno_port is not None
    protected = samples.libreoffice_with_password(unoserver.uno_port, samples_dir, extension)
    name = f"acte.{extension}"
    assert _refusal(protected, name) == _protected(name)
