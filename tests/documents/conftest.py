"""Fixtures of the documents tests: a real unoserver on a free port, real sample files, and
converted PDF/A files shared by the whole session (conversions are the slow part)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from pyhanko.sign import signers
from unoserver.client import UnoClient

from securact.documents.conversion import PdfaLevel, convert_to_pdfa
from securact.documents.kinds import DocumentKind
from securact.documents.unoserver import UnoServerProcess
from tests.documents import samples
from tests.documents.samples import Converter
from tests.processes import free_port


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("samples")


@pytest.fixture(scope="session")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UnoServerProcess]:
    """One unoserver for the session; the settings point the converter at it."""
    port = free_port()
    server = UnoServerProcess(
        "127.0.0.1", port, runtime_dir=tmp_path_factory.mktemp("unoserver"), conversion_timeout=60
    )
    with override_settings(SECURACT_UNOSERVER_HOST="127.0.0.1", SECURACT_UNOSERVER_PORT=port):
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def unoserver(office_server: UnoServerProcess) -> UnoServerProcess:
    """The session's unoserver, brought back first if an earlier test killed it."""
    office_server.ensure_running()
    return office_server


@pytest.fixture(scope="session")
def office_client(office_server: UnoServerProcess) -> UnoClient:
    return UnoClient(server=office_server.host, port=str(office_server.port))


@pytest.fixture(scope="session")
def pdf_sample(samples_dir: Path) -> Path:
    return samples.ghostscript_pdf(samples_dir / "acte.pdf")


@pytest.fixture(scope="session")
def docx_sample(office_client: UnoClient, samples_dir: Path) -> Path:
    return samples.libreoffice_document(office_client, samples_dir, "docx")


@pytest.fixture(scope="session")
def odt_sample(office_client: UnoClient, samples_dir: Path) -> Path:
    return samples.libreoffice_document(office_client, samples_dir, "odt")


@pytest.fixture(scope="session")
def doc_sample(office_client: UnoClient, samples_dir: Path) -> Path:
    return samples.libreoffice_document(office_client, samples_dir, "doc")


@pytest.fixture(scope="session")
def signer(tmp_path_factory: pytest.TempPathFactory) -> signers.SimpleSigner:
    return samples.self_signed_signer(tmp_path_factory.mktemp("signer"))


@pytest.fixture(scope="session")
def converted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Converter:
    """``converted("docx", PdfaLevel.A1B)``: that sample as PDF/A, converted once a session.
    Tests must not modify the returned files."""
    out_dir = tmp_path_factory.mktemp("converted")
    done: dict[tuple[str, PdfaLevel], Path] = {}

    def convert(kind: str, level: PdfaLevel = PdfaLevel.A2B) -> Path:
        if (kind, level) not in done:
            source = request.getfixturevalue(f"{kind}_sample")
            if kind != "pdf":
                request.getfixturevalue("office_server").ensure_running()
            dest = out_dir / f"{kind}-{level}.pdf"
            convert_to_pdfa(source, DocumentKind(kind), dest, level)
            done[kind, level] = dest
        return done[kind, level]

    return convert
