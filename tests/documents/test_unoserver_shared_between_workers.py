"""F4.1: workers on one machine share the unoserver of the configured port — started once
even when they ask together, never two LibreOffices on one profile."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytest_django import Settings

from securact.documents.conversion import convert_to_pdfa, pdfa_claim
from securact.documents.kinds import DocumentKind
from securact.documents.unoserver import UnoServerProcess
from tests.processes import free_port

pytestmark = pytest.mark.slow


def test_workers_starting_together_share_one_unoserver(
    tmp_path: Path, settings: Settings, odt_sample: Path
) -> None:
    port = free_port()
    settings.SECURACT_UNOSERVER_PORT = port
    workers = [
        UnoServerProcess("127.0.0.1", port, runtime_dir=tmp_path / "unoserver") for _ in range(2)
    ]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(UnoServerProcess.ensure_running, workers))
        assert sorted(worker.is_running() for worker in workers) == [False, True]
        dest = tmp_path / "acte-pdfa.pdf"
        convert_to_pdfa(odt_sample, DocumentKind.ODT, dest)
        assert pdfa_claim(dest) == "2B"
    finally:
        for worker in workers:
            worker.stop()
