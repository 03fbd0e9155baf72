"""F3.6 in-process: each act of the draft previewed as the PDF/A it will be served as — real
Ghostscript, real LibreOffice (the test unoserver), real pdftoppm — cached in the draft
folder, shown only to the session that added it, and gone with the file."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations import drafts, preview
from securact.vault.services import declare_vault
from tests.documents import samples
from tests.processes import free_port

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bailiff(signed_in, settings, tmp_path):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    settings.SECURACT_WORK_DIR = tmp_path / "work"
    return signed_in("bailiff-durand")


@pytest.fixture
def two_page_pdf(tmp_path) -> Path:
    return samples.ghostscript_pdf(tmp_path / "pv-saisie.pdf")


def _add(client, path: Path, name: str | None = None) -> str:
    """Add ``path`` to the client's draft; the new draft file's id."""
    upload = SimpleUploadedFile(name or path.name, path.read_bytes())
    answer = client.post("/signifier/actes/", {"file": upload}, secure=True)
    assert answer.status_code == 200, answer.content.decode()
    return str(client.session["securact_draft"]["files"][-1]["id"])


def _preview(client, file_id: str):
    return client.get(f"/signifier/actes/{file_id}/apercu/", secure=True, **HTMX)


def _cache(client, file_id: str) -> Path:
    folder = client.session["securact_draft"]["folder"]
    from django.conf import settings

    return Path(settings.SECURACT_UPLOAD_DIR) / "drafts" / folder / "previews" / file_id


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a well-formed PNG: signature, chunks whose CRCs match, IHDR
    first, IEND last, and image data that inflates to exactly the rows IHDR announces."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + (width * channels * depth + 7) // 8)
    return width, height


def test_the_form_offers_a_pdfa_preview_link_for_each_act(bailiff, two_page_pdf):
    file_id = _add(bailiff, two_page_pdf)
    page = bailiff.get("/signifier/", secure=True).content.decode()
    link = f'href="/signifier/actes/{file_id}/apercu/"'
    assert link in page and ">Aperçu PDF/A</a>" in page
    assert 'aria-label="Aperçu PDF/A de pv-saisie.pdf"' in page
    assert f'hx-target="#preview-{file_id}"' in page and f'id="preview-{file_id}"' in page


def test_previewing_a_pdf_gives_a_pdfa_2b_that_qpdf_accepts(bailiff, two_page_pdf, tmp_path):
    file_id = _add(bailiff, two_page_pdf)
    panel = _preview(bailiff, file_id)
    assert panel.status_code == 200
    text = panel.content.decode()
    assert "PDF/A-2b" in text and "2 pages" in text
    assert "Les 2 pages sont affichées." in text
    assert 'alt="Page 1 de 2 — pv-saisie.pdf"' in text
    assert 'alt="Page 2 de 2 — pv-saisie.pdf"' in text
    answer = bailiff.get(f"/signifier/actes/{file_id}/apercu/pdfa/", secure=True)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'inline; filename="pv-saisie-pdfa.pdf"'
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    received = tmp_path / "received.pdf"
    received.write_bytes(b"".join(answer.streaming_content))
    with pikepdf.open(received) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) == 2
    check = subprocess.run(["qpdf", "--check", str(received)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_page_images_are_real_pngs_of_modest_size(bailiff, two_page_pdf):
    file_id = _add(bailiff, two_page_pdf)
    _preview(bailiff, file_id)
    answer = bailiff.get(f"/signifier/actes/{file_id}/apercu/pages/1.png", secure=True)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["X-Content-Type-Options"] == "nosniff"
    width, height = _png_size(b"".join(answer.streaming_content))
    assert max(width, height) == preview.IMAGE_SIZE and width < height  # A4 portrait
    beyond = bailiff.get(f"/signifier/actes/{file_id}/apercu/pages/3.png", secure=True)
    assert beyond.status_code == 404


def test_a_long_act_shows_its_first_five_pages_and_says_so(bailiff, tmp_path):
    long_act = tmp_path / "long.pdf"
    with pikepdf.open(samples.ghostscript_pdf(tmp_path / "two.pdf")) as two:
        for _ in range(3):  # 2 → 8 pages
            two.pages.extend(list(two.pages)[:2])
        two.save(long_act)
    file_id = _add(bailiff, long_act, "long.pdf")
    text = _preview(bailiff, file_id).content.decode()
    assert "8 pages" in text
    assert "Les 5 premières pages sur 8 sont affichées" in text
    assert text.count("<img ") == 5 and 'alt="Page 5 de 8 — long.pdf"' in text
    assert sorted(p.name for p in _cache(bailiff, file_id).glob("*.png")) == [
        f"page-{n}.png" for n in range(1, 6)
    ]


def test_a_second_preview_reuses_the_cached_pdfa_and_images(bailiff, two_page_pdf):
    file_id = _add(bailiff, two_page_pdf)
    assert _preview(bailiff, file_id).status_code == 200
    cached = [_cache(bailiff, file_id) / name for name in (preview.PDFA_NAME, "page-1.png")]
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in cached]
    assert _preview(bailiff, file_id).status_code == 200
    bailiff.get(f"/signifier/actes/{file_id}/apercu/pdfa/", secure=True)
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in cached] == before


@pytest.mark.slow
def test_previewing_a_docx_converts_it_through_the_warm_libreoffice(bailiff, acts, tmp_path):
    docx = acts[1]
    file_id = _add(bailiff, docx, "jugement.docx")
    panel = _preview(bailiff, file_id)
    text = panel.content.decode()
    assert panel.status_code == 200, text
    assert "PDF/A-2b" in text and "1 page" in text and 'alt="Page 1 de 1 — jugement.docx"' in text
    answer = bailiff.get(f"/signifier/actes/{file_id}/apercu/pdfa/", secure=True)
    assert answer["Content-Disposition"] == 'inline; filename="jugement-pdfa.pdf"'
    received = tmp_path / "received.pdf"
    received.write_bytes(b"".join(answer.streaming_content))
    with pikepdf.open(received) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    assert subprocess.run(["qpdf", "--check", str(received)], capture_output=True).returncode == 0


@pytest.mark.slow
def test_with_no_libreoffice_running_the_first_office_preview_starts_the_shared_one(
    bailiff, acts, settings
):
    """As in ``make run``: the workers start LibreOffice only when they first need it, so a
    preview may come first; it starts the one unoserver the workers will then use."""
    from securact.workflow.steps import office_converter

    settings.SECURACT_UNOSERVER_PORT = free_port()
    office_converter.cache_clear()  # this process's converter, bound to the new port
    try:
        file_id = _add(bailiff, acts[2], "acte.odt")
        panel = _preview(bailiff, file_id)
        assert panel.status_code == 200, panel.content.decode()
        assert "PDF/A-2b" in panel.content.decode()
        started = office_converter()
        assert started.port == settings.SECURACT_UNOSERVER_PORT and started.is_running()
    finally:
        office_converter().stop()
        office_converter.cache_clear()


def test_an_act_that_cannot_be_converted_is_said_next_to_it_and_stays_in_the_draft(
    bailiff, two_page_pdf
):
    file_id = _add(bailiff, two_page_pdf)
    # Damaged on disk after it was checked and added.
    Path(bailiff.session["securact_draft"]["files"][0]["path"]).write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n"
    )
    panel = _preview(bailiff, file_id)
    assert panel.status_code == 422
    text = panel.content.decode()
    assert "Le PDF n&#x27;a pas pu être converti en PDF/A" in text and 'role="alert"' in text
    assert not (_cache(bailiff, file_id) / preview.PDFA_NAME).exists()
    page = bailiff.get(f"/signifier/actes/{file_id}/apercu/", secure=True)  # without htmx
    assert (
        page.status_code == 422 and "Retour au formulaire de signification" in page.content.decode()
    )
    assert bailiff.get(f"/signifier/actes/{file_id}/apercu/pdfa/", secure=True).status_code == 422
    form = bailiff.get("/signifier/", secure=True).content.decode()
    assert "pv-saisie.pdf" in form  # still in the draft, still removable
    assert [f.id for f in drafts.files(bailiff.session)] == [file_id]


def test_another_sessions_file_is_not_found(bailiff, two_page_pdf, identities):
    file_id = _add(bailiff, two_page_pdf)
    assert _preview(bailiff, file_id).status_code == 200
    colleague = identities["bailiff-martin"]
    declare_vault(parse_certificate(pem_to_der(Path(colleague.cert).read_bytes())))
    other = Client(HTTP_X_SSL_CLIENT_CERT=colleague.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS")
    _add(other, two_page_pdf)  # a draft of his own, with other ids
    for url in (
        f"/signifier/actes/{file_id}/apercu/",
        f"/signifier/actes/{file_id}/apercu/pdfa/",
        f"/signifier/actes/{file_id}/apercu/pages/1.png",
    ):
        assert other.get(url, secure=True).status_code == 404, url
    assert bailiff.get("/signifier/actes/..%2F..%2Fsecret/apercu/", secure=True).status_code == 404


def test_removing_the_file_removes_its_preview(bailiff, two_page_pdf):
    file_id = _add(bailiff, two_page_pdf)
    _preview(bailiff, file_id)
    cache = _cache(bailiff, file_id)
    assert (cache / preview.PDFA_NAME).is_file()
    bailiff.post(f"/signifier/actes/{file_id}/retirer/", secure=True)
    assert not cache.exists()
    assert _preview(bailiff, file_id).status_code == 404


def test_clearing_the_draft_removes_every_preview(settings, tmp_path, two_page_pdf):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    session: dict = {}
    with two_page_pdf.open("rb") as stream:
        added = drafts.add_file(session, stream, "acte.pdf")
    shown = preview.preview_of(session, added)
    assert shown.pdfa.is_file() and shown.pages == 2
    drafts.clear(session)
    assert not shown.pdfa.exists() and not list((tmp_path / "uploads" / "drafts").iterdir())
