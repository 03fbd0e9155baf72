"""Where the benchmark works, and the environment of every process it starts.

Everything lives under ``var/bench/`` (its own SQLite database, demo PKI, uploads, vaults,
logs, results); its PKI server listens on 9792, so a run never collides with ``make run``
(9780) or the test suite (9791). Settings are read once per process from ``SECURACT_*``
variables, so ``securact bench`` re-executes itself with this environment before touching
anything (``reexec``); the workers it starts inherit the same environment.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from django.conf import settings

from securact.pki.demo_pki import DemoLayout

BENCH_PKI_PORT = 9792
# Set in the re-executed process: its value is the data directory it must be using.
MARKER = "SECURACT_BENCH_DATA_DIR"
# What a new run throws away (the demo PKI is kept: generating it takes a while).
DISPOSABLE = ("uploads", "work", "vault", "logs", "scratch", "samples")
# The caller's variables the benchmark itself reads (the page benchmark's PostgreSQL).
PASSED_THROUGH = ("SECURACT_BENCH_DATABASE_URL",)
DATABASE_FILES = ("securact.sqlite3", "securact.sqlite3-wal", "securact.sqlite3-shm")


@dataclass(frozen=True)
class BenchPaths:
    root: Path

    @property
    def layout(self) -> DemoLayout:
        return DemoLayout(self.root / "demo")

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def samples(self) -> Path:
        return self.root / "samples"

    @property
    def scratch(self) -> Path:
        """Outputs of the primitives measured alone."""
        return self.root / "scratch"

    @property
    def results(self) -> Path:
        return self.root / "results.json"

    @property
    def pki_url(self) -> str:
        return f"http://localhost:{BENCH_PKI_PORT}"

    @property
    def tsa_url(self) -> str:
        return f"{self.pki_url}/securact/tsa/tsa"


def bench_paths() -> BenchPaths:
    return BenchPaths((Path(settings.REPO_DIR) / "var" / "bench").resolve())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def bench_environment(paths: BenchPaths, unoserver_port: int, smtp_port: int) -> dict[str, str]:
    """The environment of the benchmark and of every process it starts: the inherited one
    without any ``SECURACT_*`` variable (the embedded default, nothing from the caller's
    configuration) but ``PASSED_THROUGH``, plus the benchmark's own."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("SECURACT_") or k in PASSED_THROUGH
    }
    pki = paths.layout.pki
    environment.update(
        {
            MARKER: str(paths.root),
            "SECURACT_DATA_DIR": str(paths.root),
            "SECURACT_PKI_DIR": str(pki),
            "SOFTHSM2_CONF": str(paths.layout.softhsm_conf),
            "SECURACT_DEMO_PKI_PORT": str(BENCH_PKI_PORT),
            "SECURACT_DEMO_PKI_URL": paths.pki_url,
            "SECURACT_TSA_URL": paths.tsa_url,
            "SECURACT_UNOSERVER_PORT": str(unoserver_port),
            "SECURACT_SMTP_HOST": "127.0.0.1",
            "SECURACT_SMTP_PORT": str(smtp_port),
            "SECURACT_SMS_BACKEND": "console",
            # The legal calendar is not what is measured: serve at any hour, any day.
            "SECURACT_ENFORCE_LEGAL_HOURS": "0",
            "SECURACT_ENFORCE_SUNDAYS": "0",
            "SECURACT_ENFORCE_HOLIDAYS": "0",
            # The workers' step lines ("step sign running") are read back from their logs.
            "SECURACT_LOG_LEVEL": "INFO",
        }
    )
    return environment


def in_bench_environment(paths: BenchPaths) -> bool:
    return os.environ.get(MARKER) == str(paths.root)


def reexec(paths: BenchPaths, arguments: list[str]) -> NoReturn:
    """Replace this process by ``securact bench ARGUMENTS`` in the benchmark environment."""
    environment = bench_environment(paths, free_port(), free_port())
    command = [sys.executable, "-m", "securact.cli", "bench", *arguments]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, environment)  # noqa: S606 - our own interpreter


def check_settings(paths: BenchPaths) -> None:
    """The re-executed process must really be on the benchmark's data and database."""
    database = settings.DATABASES["default"]
    wrong = []
    if Path(settings.DATA_DIR) != paths.root:
        wrong.append(f"SECURACT_DATA_DIR={settings.DATA_DIR}")
    if database["ENGINE"] != "django.db.backends.sqlite3":
        wrong.append(f"database engine {database['ENGINE']}")
    if wrong:
        raise RuntimeError("benchmark environment not in effect: " + ", ".join(wrong))


def reset(paths: BenchPaths) -> None:
    """A fresh database and empty work areas for this run (before any connection)."""
    paths.root.mkdir(parents=True, exist_ok=True)
    for name in DATABASE_FILES:
        (paths.root / name).unlink(missing_ok=True)
    for name in DISPOSABLE:
        shutil.rmtree(paths.root / name, ignore_errors=True)
    for folder in (paths.logs, paths.samples, paths.scratch):
        folder.mkdir(parents=True)
