"""Office → PDF/A through a warm LibreOffice kept by ``unoserver`` (F4.1).

Launch choice: the unoserver *server* imports ``uno``, which only Debian's
``/usr/bin/python3`` has (``python3-uno``); our venv has unoserver but not ``uno``. So the
server runs as ``/usr/bin/python3 -m unoserver.server`` with ``PYTHONPATH`` set to a private
directory holding symlinks to the venv's ``unoserver`` package and its ``dist-info`` (it reads
its own version from the metadata) — nothing else of the venv leaks into the system Python,
and nothing of the system Python into the venv. Clients only speak XML-RPC.

Each ``UnoServerProcess`` owns its LibreOffice profile (two LibreOffice processes sharing a
profile silently produce nothing) and its process group, so that a LibreOffice left behind by
a killed unoserver is stopped before a new one starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext
from unoserver.client import UnoClient

from securact.documents.kinds import ConversionFailed, DocumentKind, PdfaLevel

logger = logging.getLogger(__name__)

SYSTEM_PYTHON = "/usr/bin/python3"
STARTUP_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0
PROBE_TIMEOUT = 2.0
# Beyond the server's own conversion timeout (after which it kills LibreOffice and answers
# with a fault), how long the client still waits before giving up on a silent server.
CLIENT_GRACE = 15.0
IMPORT_FILTERS = {
    # Forcing the import filter means a file is only ever read as the kind we checked.
    DocumentKind.DOC: "MS Word 97",
    DocumentKind.DOCX: "MS Word 2007 XML",
    DocumentKind.ODT: "writer8",
}
PDF_EXPORT_FILTER = "writer_pdf_Export"
# Faults that mean LibreOffice died or is dying (as after a timeout), not that the document
# is unreadable: a retry on a restarted LibreOffice may succeed.
TRANSIENT_FAULTS = ("TimeoutError", "DisposedException", "SystemError", "Binary URP bridge")


class UnoServerProcess:
    """A unoserver (and its LibreOffice) started, watched and stopped by this process."""

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        *,
        runtime_dir: Path | None = None,
        conversion_timeout: int | None = None,
    ) -> None:
        self.host = host or settings.SECURACT_UNOSERVER_HOST
        self.port = port or settings.SECURACT_UNOSERVER_PORT
        self.runtime_dir = (
            runtime_dir or Path(settings.SECURACT_WORK_DIR) / f"unoserver-{self.port}"
        ).resolve()
        self.conversion_timeout = conversion_timeout or settings.SECURACT_CONVERSION_TIMEOUT
        self.process: subprocess.Popen[bytes] | None = None
        self.uno_port: int | None = None
        self._log: IO[bytes] | None = None

    @property
    def profile_dir(self) -> Path:
        return self.runtime_dir / "profile"

    @property
    def log_path(self) -> Path:
        return self.runtime_dir / "unoserver.log"

    def __enter__(self) -> UnoServerProcess:
        self.ensure_running()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def is_running(self) -> bool:
        """Is the unoserver this object started still alive?"""
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start unoserver and wait until it answers; ``ConversionFailed`` (transient) if it
        cannot start, for instance because another program holds the port."""
        if _port_open(self.host, self.port):
            raise _unavailable(f"port {self.port} is already in use")
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.uno_port = _free_port()
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self._command(),
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # our own process group, LibreOffice included
        )
        logger.info("unoserver starting on %s:%s (pid %s)", self.host, self.port, self.process.pid)
        self._wait_until_ready()

    def ensure_running(self) -> None:
        """Start unoserver if it is not running (first call, or it died).

        Another worker's unoserver answering on the same port is used as it is: LibreOffice
        converts one document at a time anyway, and whichever worker finds it dead restarts it.
        """
        if self.is_running():
            return
        if self.process is not None:
            logger.warning("unoserver on port %s died; restarting it", self.port)
        self._stop_group()
        # Workers starting together must not both launch a LibreOffice on the one profile.
        with self._start_lock():
            if _answers(self.host, self.port):
                return
            self.start()

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        with (self.runtime_dir / "start.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def stop(self) -> None:
        """Stop unoserver and its LibreOffice."""
        self._stop_group()

    def _command(self) -> list[str]:
        return [
            SYSTEM_PYTHON,
            "-m",
            "unoserver.server",
            "--interface",
            self.host,
            "--port",
            str(self.port),
            "--uno-interface",
            "127.0.0.1",
            "--uno-port",
            str(self.uno_port),
            # A plain absolute path: unoserver makes the file:// URL itself.
            "--user-installation",
            str(self.profile_dir),
            "--conversion-timeout",
            str(self.conversion_timeout),
        ]

    def _environment(self) -> dict[str, str]:
        hidden = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        environment = {key: value for key, value in os.environ.items() if key not in hidden}
        environment["PYTHONPATH"] = str(_unoserver_only_path(self.runtime_dir / "python"))
        environment["PYTHONNOUSERSITE"] = "1"
        return environment

    def _wait_until_ready(self) -> None:
        if self.process is None:
            raise RuntimeError("unoserver was not started")
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                status = self.process.returncode
                self._stop_group()  # its LibreOffice may still hold the profile
                raise _unavailable(f"unoserver exited with status {status}")
            if _answers(self.host, self.port):
                logger.info("unoserver ready on %s:%s", self.host, self.port)
                return
            time.sleep(0.2)
        self._stop_group()
        raise _unavailable(f"unoserver did not answer within {STARTUP_TIMEOUT} s")

    def _stop_group(self) -> None:
        process = self.process
        if process is not None:
            # SIGTERM lets LibreOffice close cleanly; but its launcher (oosplash) blocks
            # SIGTERM and would keep unoserver waiting for ever, so once LibreOffice has
            # let go of its port, the rest of our group is killed.
            _signal_group(process.pid, signal.SIGTERM)
            self._wait_for_libreoffice_exit(process)
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _wait_for_libreoffice_exit(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if self.uno_port is None or not _port_open("127.0.0.1", self.uno_port):
                return
            time.sleep(0.1)


def convert_office(
    source: Path,
    dest: Path,
    level: PdfaLevel = PdfaLevel.A2B,
    timeout: float | None = None,
    *,
    kind: DocumentKind | None = None,
    host: str | None = None,
    port: int | None = None,
) -> None:
    """Export ``source`` to ``dest`` as PDF/A ``level`` through the unoserver at
    ``host:port`` (default: the settings). ``kind`` forces LibreOffice's import filter.

    Raises ``ConversionFailed``: transient when the server is unreachable or too slow,
    permanent when LibreOffice cannot read or export the document.
    """
    client = _FailFastClient(
        server=host or settings.SECURACT_UNOSERVER_HOST,
        port=str(port or settings.SECURACT_UNOSERVER_PORT),
    )
    limit = float(timeout or settings.SECURACT_CONVERSION_TIMEOUT)

    def convert() -> None:
        client.convert(
            inpath=str(source),
            outpath=str(dest),
            convert_to="pdf",
            filtername=PDF_EXPORT_FILTER,
            filter_options=[f"SelectPdfVersion={level.part}"],
            infiltername=IMPORT_FILTERS.get(kind) if kind is not None else None,
        )

    _call_with_deadline(convert, limit + CLIENT_GRACE)
    if not dest.is_file() or dest.stat().st_size == 0:
        raise _unreadable()


class _FailFastClient(UnoClient):  # type: ignore[misc]  # unoserver ships no type hints
    """``UnoClient`` retries a refused connection five times, ten seconds apart; the process
    engine retries transient failures itself, so fail at once instead."""

    def _connect(self, proxy: Any, retries: int = 1, sleep: float = 0) -> Any:
        return super()._connect(proxy, retries=1, sleep=0)


def _call_with_deadline(call: Callable[[], None], deadline: float) -> None:
    """Run ``call`` in a daemon thread: ``ServerProxy`` has no timeout of its own, and a
    silent server must not hold a worker forever."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:
            failure.append(error)

    worker = threading.Thread(target=run, name="unoserver-convert", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        raise _timed_out()
    if failure:
        raise _classify(failure[0]) from failure[0]


def _classify(error: BaseException) -> ConversionFailed:
    if isinstance(error, xmlrpc.client.Fault):
        text = str(error.faultString)
        logger.error("unoserver fault: %s", text[-2000:])
        if "TimeoutError" in text:
            return _timed_out()
        if any(marker in text for marker in TRANSIENT_FAULTS):
            return _unavailable(text[-200:])
        return _unreadable()
    if isinstance(error, OSError | http.client.HTTPException | xmlrpc.client.ProtocolError):
        # Refused, reset or cut connections: unoserver is down or restarting.
        return _unavailable(repr(error))
    logger.error("unoserver client error: %r", error)
    return _unreadable()


def _unoserver_only_path(directory: Path) -> Path:
    """A directory exposing the venv's unoserver package and its metadata, and nothing else."""
    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the unoserver package is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    distribution = metadata.distribution("unoserver")
    record = next(file for file in distribution.files or [] if file.name == "METADATA")
    dist_info = Path(str(distribution.locate_file(record))).parent
    directory.mkdir(parents=True, exist_ok=True)
    for target in (package, dist_info):
        link = directory / target.name
        if not link.is_symlink() or link.resolve() != target.resolve():
            link.unlink(missing_ok=True)
            link.symlink_to(target)
    return directory


def _signal_group(group: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(group, signum)


def _answers(host: str, port: int) -> bool:
    """Does an unoserver answer ``info()`` at ``host:port``?"""
    proxy = xmlrpc.client.ServerProxy(
        f"http://{host}:{port}", transport=_TimeoutTransport(PROBE_TIMEOUT), allow_none=True
    )
    try:
        with proxy:
            return bool(proxy.info())
    except (OSError, http.client.HTTPException, xmlrpc.client.Error):
        return False


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unavailable(detail: str) -> ConversionFailed:
    logger.warning("unoserver unavailable: %s", detail)
    return ConversionFailed(
        gettext(
            "Le service de conversion des documents bureautiques (LibreOffice) est "
            "momentanément indisponible ; la conversion sera relancée automatiquement."
        ),
        transient=True,
    )


def _timed_out() -> ConversionFailed:
    return ConversionFailed(
        gettext(
            "La conversion en PDF/A par LibreOffice a dépassé le délai autorisé ; elle sera "
            "relancée automatiquement."
        ),
        transient=True,
    )


def _unreadable() -> ConversionFailed:
    return ConversionFailed(
        gettext(
            "LibreOffice n'a pas pu convertir ce document en PDF/A : ouvrez-le dans votre "
            "traitement de texte, enregistrez-le à nouveau, puis déposez-le."
        )
    )
