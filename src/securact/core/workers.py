"""Who holds a lease: the identity of a worker process (``host:pid``), and whether it is gone.

Leases on rows (a running step, an alert being sent) record the identity of the process that
took them. A lease whose process died on this machine (SIGKILL, OOM, power cut of a
container) is free at once instead of after its timeout; a lease held by another machine, or
by a process we cannot inspect, still waits for its timeout. Shared here because the engine
(significations) and the alerts (notify) both need it and notify must not import the engine.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

__all__ = ["worker_gone", "worker_identity"]


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_gone(claimed_by: str) -> bool:
    """True only when ``claimed_by`` names a process of this host that no longer exists."""
    host, _sep, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still answers kill(0): it is dead all the
    same (Linux /proc; elsewhere, assume alive)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return stat.rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False
