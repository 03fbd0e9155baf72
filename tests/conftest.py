"""Shared fixtures: the test PKI (real certomancer + SoftHSM2), its TSA/OCSP/CRL server,
and gunicorn serving the app over real TLS. The database (SQLite or PostgreSQL) is chosen
by SECURACT_DATABASE_URL; the Makefile runs the suite once on each."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from securact.pki.demo_pki import TEMPLATE_DIR, DemoLayout
from tests.processes import BIN, free_port, port_open, running

# SMTP, SMS gateway, LibreOffice and worker fixtures, shared by several test folders; the S3
# server (moto) and the `s3_vault` fixture.
pytest_plugins = ["tests.service_fixtures", "tests.s3_fixtures"]

REPO = Path(__file__).resolve().parent.parent
# Two passes of the suite may run side by side (scripts/run-tests.sh): each names itself in
# SECURACT_TEST_RUN and keeps its logs, PKI and scratch files apart.
TEST_ROOT = REPO / "var" / "test" / os.environ.get("SECURACT_TEST_RUN", "")
PKI_PORT = int(os.environ.get("SECURACT_TEST_PKI_PORT", "9791"))
PKI_URL = f"http://localhost:{PKI_PORT}"


def _pki_inputs_digest() -> str:
    digest = hashlib.sha256(PKI_URL.encode())
    pki = TEMPLATE_DIR.parent
    for path in [*sorted(TEMPLATE_DIR.iterdir()), pki / "demo_pki.py", pki / "practice_token.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def demo_layout() -> DemoLayout:
    """The test PKI, generated once and reused while its inputs do not change."""
    layout = DemoLayout(TEST_ROOT / f"demo-{PKI_PORT}")  # its URLs name the port
    stamp = TEST_ROOT / f"demo-{PKI_PORT}-inputs.sha256"
    wanted = _pki_inputs_digest()
    TEST_ROOT.mkdir(parents=True, exist_ok=True)
    with (TEST_ROOT / f"pki-{PKI_PORT}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs never build it at once
        if not layout.demo_json.exists() or not stamp.exists() or stamp.read_text() != wanted:
            subprocess.run(
                [
                    str(BIN / "securact"),
                    "demo_pki",
                    "--force",
                    "--dir",
                    str(layout.root),
                    "--url",
                    PKI_URL,
                ],
                check=True,
            )
            stamp.write_text(wanted)
    return layout


@pytest.fixture(scope="session", autouse=True)
def test_trust(demo_layout: DemoLayout) -> Iterator[None]:
    """Point the app at the test PKI: trust anchors, TSA, tokens, platform seal."""
    # Before anything loads the PKCS#11 module, which reads this variable once.
    os.environ["SOFTHSM2_CONF"] = str(demo_layout.softhsm_conf)
    with override_settings(
        SECURACT_PKI_DIR=demo_layout.pki,
        DEMO_DIR=demo_layout.root,
        SECURACT_TRUST_ROOTS=demo_layout.trust / "roots.pem",
        SECURACT_TRUST_INTERMEDIATES=demo_layout.trust / "intermediates.pem",
        SECURACT_TSA_URL=f"{PKI_URL}/securact/tsa/tsa",
        SECURACT_SEAL_CERT=demo_layout.seal_cert,
        SECURACT_SEAL_PIN_FILE=demo_layout.seal_pin,
        SECURACT_JOURNAL_CERT=demo_layout.journal_cert,
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_certificate_cache() -> None:
    cache.clear()


@dataclass
class PkiServer:
    """`certomancer animate` serving the test PKI's OCSP, CRL and TSA endpoints."""

    layout: DemoLayout
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)
    _context: object = None

    def start(self) -> None:
        command = [
            str(BIN / "certomancer"),
            "--config",
            str(self.layout.config),
            "--key-root",
            str(self.layout.pki),
            "animate",
            "--aiohttp",
            "--no-web-ui",
            "--port",
            str(PKI_PORT),
        ]
        self._context = running(
            command, "certomancer animate", lambda: port_open(PKI_PORT), log=self.log
        )
        self.process = self._context.__enter__()  # type: ignore[attr-defined]
        self._warm_revocation_services()

    @staticmethod
    def _warm_revocation_services() -> None:
        """certomancer makes its first CRLs and OCSP answers slowly (seconds on a loaded
        machine, past the service's 5 s fetch timeout, which then refuses a certificate as
        "revocation unknown"): ask for each once, patiently, before any test relies on it."""
        import requests

        for issuer in ("root", "auth-ca", "sign-ca"):
            requests.get(f"{PKI_URL}/securact/crls/{issuer}/latest.crl", timeout=120)

    def stop(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)  # type: ignore[attr-defined]
            self._context = None


@pytest.fixture(scope="session")
def pki_server(demo_layout: DemoLayout) -> Iterator[PkiServer]:
    if port_open(PKI_PORT):
        pytest.fail(
            f"port {PKI_PORT} is taken: stop what listens there (or set SECURACT_TEST_PKI_PORT)"
        )
    server = PkiServer(demo_layout, TEST_ROOT / "certomancer.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _tsa_for_deposits(request: pytest.FixtureRequest) -> None:
    """Every vault deposit is timestamped by the TSA (the proof's timestamp, issue 11): the
    test PKI's server runs for every test (started once a session) — a test that deposits
    never depends on an earlier one having started it. ``pki_down`` stops it for a test."""
    request.getfixturevalue("pki_server")


@pytest.fixture
def pki_down(pki_server: PkiServer) -> Iterator[None]:
    """The revocation services are unreachable for the duration of a test."""
    pki_server.stop()
    try:
        yield
    finally:
        pki_server.start()


@dataclass(frozen=True)
class Identity:
    """A demo identity from demo.json, with the PEM helpers tests need."""

    record: dict

    @property
    def cert(self) -> str:
        return str(self.record["auth_cert"])

    @property
    def key(self) -> str:
        return str(self.record["auth_key"])

    @property
    def pair(self) -> tuple[str, str]:
        return self.cert, self.key

    @property
    def escaped_pem(self) -> str:
        """The certificate as nginx's $ssl_client_escaped_cert forwards it."""
        return quote(Path(self.cert).read_text(encoding="ascii"), safe="")


@pytest.fixture(scope="session")
def identities(demo_layout: DemoLayout) -> dict[str, Identity]:
    import json

    records = json.loads(demo_layout.demo_json.read_text(encoding="utf-8"))
    return {r["label"]: Identity(r) for r in records}


@pytest.fixture
def act_natures(db: None) -> None:
    """The act natures the data migration seeds. Transactional tests empty every table after
    themselves (natures included), so tests that need the natures ask for them here."""
    import importlib

    from django.apps import apps

    importlib.import_module("securact.directory.migrations.0002_seed_act_natures").seed(apps, None)
    importlib.import_module("securact.directory.migrations.0003_actnature_needs_data_message").flag(
        apps, None
    )


@pytest.fixture
def demo_directory(demo_layout: DemoLayout, act_natures: None) -> None:
    """The demo practice, recipients and operator in the (test) database."""
    from securact.pki.demo_data import create_demo_data

    create_demo_data(demo_layout)


def database_url() -> str:
    """URL of the test database pytest-django created, for server processes."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = settings.get("HOST") or ""
    host = quote(host, safe="") if host.startswith("/") else host
    user = quote(settings.get("USER") or "", safe="")
    password = settings.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


def server_environment(layout: DemoLayout, **extra: str) -> dict[str, str]:
    data_dir = tempfile.mkdtemp(prefix="securact-server-")
    return {
        "SECURACT_DATABASE_URL": database_url(),
        "SECURACT_DATA_DIR": data_dir,
        "SECURACT_PKI_DIR": str(layout.pki),
        "SECURACT_SECRET_KEY": "test-only-secret-key-for-the-server-process",
        "SECURACT_WORKERS": "1",
        **extra,
    }


@pytest.fixture(scope="session")
def gunicorn_server(
    django_db_setup, django_db_blocker, demo_layout: DemoLayout, pki_server: PkiServer
) -> Iterator[str]:
    """The app behind gunicorn terminating TLS itself (the embedded default)."""
    port = free_port()
    with django_db_blocker.unblock():
        env = server_environment(demo_layout)
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / "gunicorn.log",
    ):
        yield f"https://localhost:{port}"


def gunicorn_command(layout: DemoLayout, port: int) -> list[str]:
    """gunicorn serving the app over TLS with the test PKI's server certificate."""
    return [
        str(BIN / "gunicorn"),
        "-c",
        "python:securact.gunicorn_conf",
        "--certfile",
        str(layout.server_cert),
        "--keyfile",
        str(layout.server_key),
        "-b",
        f"127.0.0.1:{port}",
    ]
