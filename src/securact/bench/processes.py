"""The processes around the service, started and always stopped by the benchmark: the demo
PKI's TSA/OCSP/CRL server (``certomancer animate``), an SMTP sink (aiosmtpd), one shared
warm LibreOffice (unoserver), and ``securact worker`` processes; plus peak memory read from
``/proc/<pid>/status`` (``VmHWM``, the resident set's high-water mark) and CPU time from
``/proc/<pid>/stat`` and ``/proc/stat`` (no psutil needed)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from django.conf import settings

from securact.bench.environment import BENCH_PKI_PORT, BenchPaths, port_open
from securact.documents.unoserver import UnoServerProcess

BIN = Path(sys.executable).parent
STOP_TIMEOUT = 15.0


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within 90 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running(
    command: list[str], what: str, log: Path, ready: Callable[[], bool]
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` (environment inherited: the benchmark's), wait for ``ready``,
    stop it on the way out, whatever happened."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_until(ready, what, process)
            yield process
        finally:
            stop(process)


@dataclass
class Services:
    office: UnoServerProcess
    pki: subprocess.Popen[bytes]
    smtp: subprocess.Popen[bytes]

    def cpu_groups(self) -> dict[str, list[int]]:
        """The processes whose CPU time is accounted apart (besides the workers)."""
        office = self.office.process
        return {
            "pki": [self.pki.pid],
            "smtp": [self.smtp.pid],
            "libreoffice": [office.pid, *descendants(office.pid)] if office is not None else [],
            "bench": [os.getpid()],
        }


@contextlib.contextmanager
def pki_server(paths: BenchPaths) -> Iterator[subprocess.Popen[bytes]]:
    """The demo PKI's TSA/OCSP/CRL server on 9792 (``certomancer animate``)."""
    if port_open(BENCH_PKI_PORT):
        raise RuntimeError(f"port {BENCH_PKI_PORT} is taken: stop what listens there first")
    layout = paths.layout
    pki = [
        str(BIN / "certomancer"),
        "--config",
        str(layout.config),
        "--key-root",
        str(layout.pki),
        "animate",
        "--aiohttp",
        "--no-web-ui",
        "--port",
        str(BENCH_PKI_PORT),
    ]
    with running(
        pki, "certomancer", paths.logs / "certomancer.log", _port(BENCH_PKI_PORT)
    ) as server:
        yield server


@contextlib.contextmanager
def services(paths: BenchPaths) -> Iterator[Services]:
    """PKI server on 9792, SMTP sink, shared unoserver — stopped in reverse order."""
    smtp_port = int(settings.EMAIL_PORT)
    smtp = [
        str(BIN / "python"),
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        f"127.0.0.1:{smtp_port}",
        "-c",
        "aiosmtpd.handlers.Sink",
    ]
    with contextlib.ExitStack() as stack:
        pki = stack.enter_context(pki_server(paths))
        smtp_server = stack.enter_context(
            running(smtp, "aiosmtpd", paths.logs / "smtp.log", _port(smtp_port))
        )
        office = UnoServerProcess()
        stack.callback(office.stop)
        office.start()
        yield Services(office, pki, smtp_server)


def _port(port: int) -> Callable[[], bool]:
    return lambda: port_open(port)


@dataclass
class WorkerPool:
    """``securact worker`` processes; each writes its own log (the step lines are read back)."""

    paths: BenchPaths
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    _handles: list[IO[bytes]] = field(default_factory=list)

    def start(self, count: int, label: str) -> list[subprocess.Popen[bytes]]:
        started = []
        for index in range(count):
            log = self.paths.logs / f"worker-{label}-{index + 1}.log"
            handle = log.open("ab")
            process = subprocess.Popen(
                [str(BIN / "securact"), "worker"],
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
            self._handles.append(handle)
            self.processes.append(process)
            self.logs.append(log)
            started.append(process)
        for process, log in zip(started, self.logs[-count:], strict=True):
            wait_until(partial(_mentions, log, "Starting worker"), "securact worker", process)
        return started

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            stop(process)
        for handle in self._handles:
            handle.close()
        self.processes, self._handles = [], []


@contextlib.contextmanager
def workers(paths: BenchPaths, count: int, label: str) -> Iterator[WorkerPool]:
    pool = WorkerPool(paths)
    try:
        pool.start(count, label)
        yield pool
    finally:
        pool.stop()


def _mentions(path: Path, text: str) -> bool:
    return text in _text(path)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


# ---------------------------------------------------------------- memory


def status_kb(pid: int, field_name: str = "VmHWM") -> int | None:
    """A ``kB`` field of ``/proc/<pid>/status`` (None once the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    return None


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        return "?"


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (read from ``/proc/*/stat``)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


@dataclass
class ChildPeaks:
    """Peak ``VmHWM`` of the short-lived children of a process (Ghostscript, for a PDF),
    sampled every ``interval`` seconds: growth in a child's last interval may be missed."""

    root: int
    interval: float = 0.05
    peaks: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> ChildPeaks:
        self._thread = threading.Thread(target=self._sample, name="child-peaks", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in descendants(self.root):
                peak = status_kb(pid)
                if peak is not None:
                    name = _command_name(pid)
                    self.peaks[name] = max(self.peaks.get(name, 0), peak)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and of its children it has waited for (0 once gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()  # fields[0] is field 3 of proc(5), the state
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS  # utime..cstime


def machine_busy_seconds() -> float:
    """CPU time spent by every process on the machine, all cores (``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def cpu_snapshot(groups: dict[str, list[int]]) -> dict[str, float]:
    snapshot = {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}
    snapshot["machine"] = machine_busy_seconds()
    return snapshot


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per group between two snapshots; ``other`` is what the rest of the
    machine used meanwhile (other programs than the benchmark's)."""
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    used["other"] = used["machine"] - sum(v for k, v in used.items() if k != "machine")
    return used


def group_peaks(pid: int) -> dict[str, int]:
    """``VmHWM`` (kB) of ``pid`` and of each process below it, by command name."""
    peaks: dict[str, int] = {}
    for member in [pid, *descendants(pid)]:
        peak = status_kb(member)
        if peak is not None:
            name = _command_name(member)
            peaks[name] = max(peaks.get(name, 0), peak)
    return peaks
