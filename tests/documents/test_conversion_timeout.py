"""F4.1: one conversion timeout — a conversion LibreOffice cannot finish in time is stopped,
reported as transient (a retry may succeed), and the converter is brought back."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django import Settings

from securact.documents.conversion import ConversionFailed, convert_to_pdfa
from securact.documents.kinds import DocumentKind
from securact.documents.unoserver import UnoServerProcess
from tests.documents import samples
from tests.processes import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def impatient_server(tmp_path: Path, settings: Settings) -> Iterator[UnoServerProcess]:
    """A unoserver of its own, allowed one second per conversion."""
    server = UnoServerProcess(
        "127.0.0.1", free_port(), runtime_dir=tmp_path / "unoserver", conversion_timeout=1
    )
    settings.SECURACT_UNOSERVER_PORT = server.port
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_too_slow_conversion_fails_transiently_and_server_recovers(
    impatient_server: UnoServerProcess, odt_sample: Path, tmp_path: Path
) -> None:
    long_act = samples.long_odt(odt_sample, tmp_path / "long.odt")
    dest = tmp_path / "out" / "acte-pdfa.pdf"
    with pytest.raises(ConversionFailed) as failed:
        convert_to_pdfa(long_act, DocumentKind.ODT, dest)
    assert failed.value.transient
    assert failed.value.message == (
        "La conversion en PDF/A par LibreOffice a dépassé le délai autorisé ; elle sera "
        "relancée automatiquement."
    )
    assert list(dest.parent.iterdir()) == []

    # After a timeout unoserver stops LibreOffice and exits; the next attempt starts it again.
    deadline = time.monotonic() + 30
    while impatient_server.is_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not impatient_server.is_running()
    impatient_server.ensure_running()
    convert_to_pdfa(odt_sample, DocumentKind.ODT, dest)
    assert dest.is_file()
