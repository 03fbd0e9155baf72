"""Real processes for end-to-end tests: the demo PKI's server, gunicorn, nginx."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    check, what: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout} s")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


@contextmanager
def running(
    command: list[str],
    what: str,
    ready,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    stop: signal.Signals | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a process, wait until ``ready()`` is true, stop it afterwards with ``stop``:
    by default SIGTERM, but SIGINT for gunicorn, its quick shutdown, given 3 s (a worker that
    served a browser may linger until the arbiter's limit; a test's end need not wait for it)."""
    gunicorn = Path(command[0]).name == "gunicorn"
    if stop is None:
        stop = signal.SIGINT if gunicorn else signal.SIGTERM
    grace = 3 if gunicorn else 10
    out = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
    )
    try:
        wait_for(ready, what, process)
        yield process
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()  # type: ignore[union-attr]
