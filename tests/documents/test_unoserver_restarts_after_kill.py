"""F4.1: the warm LibreOffice is restarted when it dies, and conversions work again."""

import os
import signal
from pathlib import Path

from securact.documents.conversion import convert_to_pdfa, pdfa_claim
from securact.documents.kinds import DocumentKind
from securact.documents.unoserver import UnoServerProcess


def test_killed_unoserver_is_restarted_and_converts(
    unoserver: UnoServerProcess, odt_sample: Path, tmp_path: Path
) -> None:
    assert unoserver.process is not None
    killed = unoserver.process.pid
    os.kill(killed, signal.SIGKILL)  # unoserver only: its LibreOffice is left behind
    unoserver.process.wait()
    assert not unoserver.is_running()

    unoserver.ensure_running()

    assert unoserver.is_running()
    assert unoserver.process is not None and unoserver.process.pid != killed
    dest = tmp_path / "acte-pdfa.pdf"
    convert_to_pdfa(odt_sample, DocumentKind.ODT, dest)
    assert pdfa_claim(dest) == "2B"


def test_running_unoserver_is_left_alone(unoserver: UnoServerProcess) -> None:
    assert unoserver.process is not None
    pid = unoserver.process.pid
    unoserver.ensure_running()
    assert unoserver.process.pid == pid
