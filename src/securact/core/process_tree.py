"""Start child processes so that they can all be stopped, descendants included.

``securact start`` runs each service in its own process group (a Ctrl-C in the terminal
reaches only ``start``, which then stops them in order) and becomes the *child subreaper* of
its descendants (Linux ``PR_SET_CHILD_SUBREAPER``): a process orphaned by a child that exited
— unoserver and LibreOffice run in their own session — is re-parented to ``start`` instead
of init, so it can still be found and stopped. LibreOffice's launcher (oosplash) ignores
SIGTERM: whatever is left after the grace period is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

GRACE_SECONDS = 10.0
_PR_SET_CHILD_SUBREAPER = 36
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def become_subreaper() -> None:
    """Orphaned descendants come back to this process (Linux; elsewhere, nothing)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    with contextlib.suppress(AttributeError):
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


class StopRequest:
    """SIGINT, SIGTERM and SIGHUP ask to stop (no KeyboardInterrupt, hence no traceback)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._asked)

    def _asked(self, signum: int, frame: FrameType | None) -> None:
        self._event.set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


def start_child(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, start_new_session=True)


def stop_all(children: Iterable[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each child's group, SIGKILL what is left after the grace period, then the
    same for every orphan that came back to us; every child reaped."""
    children = list(children)
    _terminate_groups([child.pid for child in children if child.poll() is None])
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=1)
    orphans = _own_children()
    _terminate_groups(orphans)
    _reap()


def _terminate_groups(pids: list[int]) -> None:
    groups: set[int] = set()
    for pid in pids:
        group = _group_of(pid)
        if group is not None and group != os.getpgrp():  # never our own group
            groups.add(group)
    for group in groups:
        _signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(_group_alive(group) for group in groups):
        _reap()
        time.sleep(0.1)
    for group in groups:
        _signal_group(group, signal.SIGKILL)
    _reap()


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _signal_group(group: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def _group_alive(group: int) -> bool:
    """Does the group still hold a living (not zombie) process?"""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry)
            if fields and int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


def _own_children() -> list[int]:
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry)
            if fields and int(fields[1]) == me and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _stat(entry: Path) -> list[str] | None:
    """State, parent and group of a process from /proc/<pid>/stat, or None if it is gone."""
    try:
        text = (entry / "stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()[:3]


def _reap() -> None:
    """Collect every exited child (ours or re-parented orphans): no zombie is left."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
