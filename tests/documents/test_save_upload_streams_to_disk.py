"""F3.4: uploads are streamed to disk in chunks under a generated name, and refused while
streaming once past the size limit, leaving nothing behind."""

import io
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from pytest_django import Settings

from securact.documents.services import UploadRefused, save_upload
from securact.documents.uploads import CHUNK_BYTES


class EndlessStream(io.RawIOBase):
    """An upload that never ends, recording how much was asked of it."""

    def __init__(self) -> None:
        self.largest_read = 0
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "the upload must be read in bounded chunks"
        self.largest_read = max(self.largest_read, size)
        self.served += size
        return b"\0" * size


def test_upload_is_saved_under_a_generated_name(tmp_path: Path, pdf_sample: Path) -> None:
    with pdf_sample.open("rb") as stream:
        saved = save_upload(stream, "../../Acte de M. Dupont.pdf", tmp_path / "uploads")
    assert saved.parent == tmp_path / "uploads"
    assert "Dupont" not in saved.name and ".." not in saved.name
    assert saved.read_bytes() == pdf_sample.read_bytes()


def test_oversized_upload_is_refused_while_streaming(tmp_path: Path) -> None:
    endless = EndlessStream()
    with pytest.raises(UploadRefused) as refused:
        save_upload(cast(BinaryIO, endless), "acte.pdf", tmp_path, max_bytes=3 * CHUNK_BYTES)
    assert refused.value.message == (
        "Le fichier « acte.pdf » dépasse la taille maximale autorisée pour un fichier (3,0\xa0Mio)."
    )
    assert endless.largest_read <= CHUNK_BYTES
    assert endless.served <= 4 * CHUNK_BYTES  # stopped at the first chunk past the limit
    assert list(tmp_path.iterdir()) == []  # the partial file is gone


def test_size_limit_defaults_to_the_setting(tmp_path: Path, settings: Settings) -> None:
    settings.SECURACT_MAX_FILE_BYTES = 1000
    with pytest.raises(UploadRefused):
        save_upload(io.BytesIO(b"x" * 1001), "acte.pdf", tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert save_upload(io.BytesIO(b"x" * 1000), "acte.pdf", tmp_path).stat().st_size == 1000


def test_empty_upload_is_refused_and_not_kept(tmp_path: Path) -> None:
    with pytest.raises(UploadRefused) as refused:
        save_upload(io.BytesIO(b""), "acte.odt", tmp_path)
    assert refused.value.message == "Le fichier « acte.odt » est vide."
    assert list(tmp_path.iterdir()) == []
