"""F3.4: a PDF carrying JavaScript is refused, wherever the script hides."""

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples

JAVASCRIPT = (
    "Le fichier « acte.pdf » contient du JavaScript, interdit dans un acte signifié : "
    "enregistrez-le ou imprimez-le en PDF sans script avant de le déposer."
)


@pytest.mark.parametrize(
    "edit",
    [
        samples.add_open_action_javascript,
        samples.add_document_javascript,
        samples.add_link_javascript,
        samples.add_page_open_javascript,
    ],
    ids=["open-action", "names-tree", "link-annotation", "page-open-action"],
)
def test_pdf_with_javascript_is_refused(
    tmp_path: Path, pdf_sample: Path, edit: Callable[[pikepdf.Pdf], None]
) -> None:
    scripted = samples.edited_pdf(pdf_sample, tmp_path / "acte.pdf", edit)
    with pytest.raises(UploadRefused) as refused:
        check_upload(scripted, "acte.pdf")
    assert refused.value.message == JAVASCRIPT


def test_javascript_in_compressed_object_stream_is_refused(
    tmp_path: Path, pdf_sample: Path
) -> None:
    scripted = tmp_path / "acte.pdf"
    with pikepdf.open(pdf_sample) as pdf:
        samples.add_open_action_javascript(pdf)
        pdf.save(scripted, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"JavaScript" not in scripted.read_bytes()  # invisible to a byte search
    with pytest.raises(UploadRefused) as refused:
        check_upload(scripted, "acte.pdf")
    assert refused.value.message == JAVASCRIPT


def test_javascript_behind_hex_escaped_names_is_refused(tmp_path: Path) -> None:
    scripted = samples.handwritten_pdf(
        tmp_path / "acte.pdf", b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    )
    with pytest.raises(UploadRefused) as refused:
        check_upload(scripted, "acte.pdf")
    assert refused.value.message == JAVASCRIPT


def test_handwritten_pdf_without_script_is_accepted(tmp_path: Path) -> None:
    """The control for the test above: the same file without the script passes."""
    plain = samples.handwritten_pdf(tmp_path / "acte.pdf", b"")
    assert check_upload(plain, "acte.pdf") == "pdf"
