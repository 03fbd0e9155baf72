"""F3.4: archive bombs inside DOCX/ODT are refused from the ZIP directory, before anything
is expanded, and a directory that lies about sizes is caught while reading."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples

BOMB = (
    "Le fichier « acte.docx » est refusé : une fois décompressé, son contenu serait "
    "anormalement volumineux (plus de 200,0\xa0Mio ou taux de compression suspect)."
)


@pytest.mark.parametrize("megabytes", [300, 20], ids=["expanded-size", "compression-ratio"])
def test_docx_holding_a_zip_bomb_is_refused(
    tmp_path: Path, docx_sample: Path, megabytes: int
) -> None:
    bomb = samples.with_zeros_entry(docx_sample, tmp_path / "acte.docx", megabytes)
    assert bomb.stat().st_size < 2 * 1024 * 1024  # hundreds of MiB of zeros in a small file
    with pytest.raises(UploadRefused) as refused:
        check_upload(bomb, "acte.docx")
    assert refused.value.message == BOMB


def test_entry_larger_than_its_directory_says_is_refused(tmp_path: Path, docx_sample: Path) -> None:
    liar = samples.with_lying_directory(docx_sample, tmp_path / "acte.docx")
    with pytest.raises(UploadRefused) as refused:
        check_upload(liar, "acte.docx")
    assert "endommagé" in refused.value.message


def test_docx_with_a_large_but_ordinary_entry_is_accepted(
    tmp_path: Path, docx_sample: Path
) -> None:
    """The control: a 3 MiB incompressible entry is no bomb."""
    import os

    ordinary = samples.rezipped(
        docx_sample, tmp_path / "acte.docx", add={"word/media/image1.bin": os.urandom(3 << 20)}
    )
    assert check_upload(ordinary, "acte.docx") == "docx"
