"""F3.4: office files carrying macros are refused."""

from pathlib import Path

import pytest

from securact.documents.services import UploadRefused, check_upload
from tests.documents import samples

VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"


def _macros(name: str) -> str:
    return (
        f"Le fichier « {name} » contient des macros, interdites dans un acte signifié : "
        "enregistrez-le sans macros (en .docx ou .odt) avant de le déposer."
    )


def _refusal(path: Path, name: str) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(path, name)
    return refused.value.message


def test_docx_with_vba_project_is_refused(tmp_path: Path, docx_sample: Path) -> None:
    macro = samples.rezipped(
        docx_sample, tmp_path / "acte.docx", add={"word/vbaProject.bin": VBA_PROJECT}
    )
    assert _refusal(macro, "acte.docx") == _macros("acte.docx")


def test_docx_declared_macro_enabled_is_refused(tmp_path: Path, docx_sample: Path) -> None:
    import zipfile

    with zipfile.ZipFile(docx_sample) as archive:
        types = archive.read("[Content_Types].xml")
    assert WORD_MAIN in types
    macro = samples.rezipped(
        docx_sample,
        tmp_path / "acte.docx",
        replace={"[Content_Types].xml": types.replace(WORD_MAIN, MACRO_MAIN)},
    )
    assert _refusal(macro, "acte.docx") == _macros("acte.docx")


def test_odt_with_basic_macros_is_refused(tmp_path: Path, odt_sample: Path) -> None:
    module = b'<?xml version="1.0"?><script:module script:name="Module1">Sub Main</script:module>'
    macro = samples.rezipped(
        odt_sample, tmp_path / "acte.odt", add={"Basic/Standard/Module1.xml": module}
    )
    assert _refusal(macro, "acte.odt") == _macros("acte.odt")


def test_doc_with_macros_storage_is_refused(tmp_path: Path, doc_sample: Path) -> None:
    macro = samples.doc_with_macros_entry(doc_sample, tmp_path / "acte.doc")
    assert _refusal(macro, "acte.doc") == _macros("acte.doc")
