"""Real components around an end-to-end signification: an SMTP server (aiosmtpd), the SMS
operator's gateway (our test double of a paid service, behind the real backend's HTTP
contract), a warm LibreOffice, and `securact worker` processes on the test database.

A plugin (``pytest_plugins`` in tests/conftest.py) so that the service, web and delivery
tests share one of each session-scoped server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from unoserver.client import UnoClient

from securact.documents.unoserver import UnoServerProcess
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.pki.demo_pki import DemoLayout
from securact.vault.services import declare_vault
from tests.conftest import PKI_URL, TEST_ROOT, server_environment
from tests.documents import samples
from tests.processes import BIN, free_port


class MailCollector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[int, MailCollector]]:
    collector, port = MailCollector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, collector
    controller.stop()


@dataclass
class Gateway:
    url: str
    token: str
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway(url="", token="jeton-de-test-sms")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            authorized = self.headers.get("Authorization") == f"Bearer {gateway.token}"
            gateway.received.append({"body": body, "authorized": authorized})
            answer = json.dumps({"id": f"sms-{len(gateway.received)}"}).encode()
            self.send_response(200 if authorized else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_port}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    server.shutdown()


@dataclass
class ServiceDirs:
    upload: Path
    work: Path
    vault: Path


@pytest.fixture
def service_dirs(tmp_path: Path, settings: Any) -> ServiceDirs:
    dirs = ServiceDirs(tmp_path / "uploads", tmp_path / "work", tmp_path / "vault")
    settings.SECURACT_UPLOAD_DIR, settings.SECURACT_WORK_DIR = dirs.upload, dirs.work
    settings.SECURACT_VAULT_DIR = dirs.vault
    # The legal calendar is tested on its own; here the act may be served at any hour.
    settings.SECURACT_ENFORCE_LEGAL_HOURS = settings.SECURACT_ENFORCE_SUNDAYS = False
    settings.SECURACT_ENFORCE_HOLIDAYS = False
    return dirs


@dataclass
class Workers:
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, count: int = 1) -> None:
        for _ in range(count):
            log = (TEST_ROOT / f"worker-{len(self.processes)}.log").open("ab")
            self.processes.append(
                subprocess.Popen(
                    [str(BIN / "securact"), "worker"],
                    env={**os.environ, **self.env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(
    django_db_blocker: Any,
    demo_layout: DemoLayout,
    pki_server: Any,
    service_dirs: ServiceDirs,
    smtp_server: tuple[int, MailCollector],
    sms_gateway: Gateway,
    office_port: int,
) -> Iterator[Workers]:
    with django_db_blocker.unblock():
        env = server_environment(
            demo_layout,
            SECURACT_UPLOAD_DIR=str(service_dirs.upload),
            SECURACT_WORK_DIR=str(service_dirs.work),
            SECURACT_VAULT_DIR=str(service_dirs.vault),
            SECURACT_TSA_URL=f"{PKI_URL}/securact/tsa/tsa",
            SECURACT_SMTP_HOST="127.0.0.1",
            SECURACT_SMTP_PORT=str(smtp_server[0]),
            SECURACT_SMS_BACKEND="http",
            SECURACT_SMS_GATEWAY_URL=sms_gateway.url,
            SECURACT_SMS_GATEWAY_TOKEN=sms_gateway.token,
            SECURACT_UNOSERVER_PORT=str(office_port),
            SOFTHSM2_CONF=str(demo_layout.softhsm_conf),
        )
    pool = Workers(env)
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def office_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    server = UnoServerProcess("127.0.0.1", port, runtime_dir=tmp_path_factory.mktemp("uno"))
    with override_settings(SECURACT_UNOSERVER_PORT=port):
        server.start()
        try:
            yield port
        finally:
            server.stop()


@pytest.fixture(scope="session")
def acts(office_port: int, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("acts")
    client = UnoClient(server="127.0.0.1", port=str(office_port))
    return [
        samples.ghostscript_pdf(folder / "pv-saisie.pdf"),
        samples.libreoffice_document(client, folder, "docx"),
        samples.libreoffice_document(client, folder, "odt"),
    ]


@pytest.fixture
def declared_bailiff(demo_directory, identities):
    bailiff = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(bailiff.cert).read_bytes())))
    return bailiff


@pytest.fixture(scope="module")
def browser(demo_layout: DemoLayout) -> Iterator[Any]:
    """Debian's Chromium under Playwright, trusting the test PKI's root (tests/web/browser.py)."""
    from tests.web.browser import launch

    yield from launch(demo_layout.trust / "roots.pem")


@pytest.fixture
def live_site(workers: Workers, demo_directory: None, demo_layout: DemoLayout) -> Iterator[str]:
    """gunicorn over TLS sharing the workers' database, folders, TSA, SMTP and SMS gateway,
    with one worker running: the whole service, for browser journeys.

    Art. 664's hours are relaxed so that a journey runs at any hour; the recipient's own
    service hours (F3.3) stay enforced."""
    from tests.conftest import gunicorn_command
    from tests.processes import port_open, running

    port = free_port()
    env = {
        **workers.env,
        "SECURACT_ENFORCE_LEGAL_HOURS": "0",
        "SECURACT_ENFORCE_SUNDAYS": "0",
        "SECURACT_ENFORCE_HOLIDAYS": "0",
        "SECURACT_PROGRESS_POLL_SECONDS": "1",
    }
    workers.start(1)
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / "gunicorn-live-site.log",
    ):
        yield f"https://localhost:{port}"
