"""A gunicorn of its own over real TLS (the embedded default), with a data directory the
security tests can look into (permissions, temporary files, vault)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_ROOT, gunicorn_command, server_environment
from tests.processes import free_port, port_open, running


@dataclass(frozen=True)
class TlsServer:
    url: str
    port: int
    data_dir: Path
    temp_dir: Path
    roots: str


@pytest.fixture(scope="module")
def tls_server(django_db_setup, django_db_blocker, demo_layout, pki_server) -> Iterator[TlsServer]:
    port = free_port()
    with django_db_blocker.unblock():
        env = server_environment(demo_layout)
    data_dir = Path(env["SECURACT_DATA_DIR"])
    temp_dir = Path(tempfile.mkdtemp(prefix="securact-tmp-"))
    env["TMPDIR"] = str(temp_dir)  # where Django spools uploads
    try:
        with running(
            gunicorn_command(demo_layout, port),
            "gunicorn",
            lambda: port_open(port),
            env=env,
            log=TEST_ROOT / f"gunicorn-security-{port}.log",
        ):
            yield TlsServer(
                f"https://localhost:{port}",
                port,
                data_dir,
                temp_dir,
                str(demo_layout.trust / "roots.pem"),
            )
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def declared(identities, demo_directory):
    """``declared("bailiff-durand")``: that holder's vault is declared; returns the identity."""
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    def declare(label: str):
        holder = identities[label]
        declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
        return holder

    return declare
