"""Wake a waiting process when there is something to do, instead of letting it poll the
database (issue 10, item 3). A waiter still looks every ``SAFETY_POLL`` seconds, so a lost
wake costs that delay, never a stuck signification.

A channel is a short name (``tasks``: a task was enqueued; ``signification-42``: a step of
that signification changed state).

* PostgreSQL: ``NOTIFY`` in the current transaction (delivered when it commits, so never
  before the data it announces); each waiter ``LISTEN``s on its own autocommit connection.
* SQLite (processes on one machine): each waiter binds a UNIX datagram socket in
  ``<database file>.wake/<channel>/`` — beside the database, so every process using that
  file meets there whatever its data directory (``DATA_DIR/wake`` for a database in memory);
  ``notify`` sends one byte to every socket there once the transaction commits. The socket
  of a process that died refuses the byte and is removed.

A waiter subscribes when it is created: create it *before* looking at the database, so that
a change made between the look and the wait still wakes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import select
import socket
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

SAFETY_POLL = 2.0
_SOCKET_PATH_MAX = 107


def _pg_channel(channel: str) -> str:
    return "securact_" + re.sub(r"[^a-z0-9_]", "_", channel.lower())


def _root() -> Path:
    database = Path(str(connection.settings_dict["NAME"]))
    if database.is_file():
        return database.with_name(database.name + ".wake")
    return Path(settings.DATA_DIR) / "wake"


def _folder(channel: str) -> Path:
    folder = _root() / re.sub(r"[^a-z0-9_-]", "_", channel.lower())
    if len(str(folder)) > _SOCKET_PATH_MAX - 32:  # room for "/<pid>-<12 hex>.sock"
        # A UNIX socket's path has at most 107 bytes: a long one is replaced by a short
        # folder in the temporary directory, named after it (so the same for every process).
        digest = hashlib.sha256(str(folder).encode()).hexdigest()[:24]
        folder = Path(tempfile.gettempdir()) / f"securact-wake-{digest}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def notify(channel: str) -> None:
    """Wake the waiters of ``channel`` (when the current transaction commits)."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [_pg_channel(channel)])
        return
    transaction.on_commit(lambda: _send(channel))


def _send(channel: str) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)
        for path in _folder(channel).glob("*.sock"):
            try:
                sender.sendto(b"!", str(path))
            except (ConnectionRefusedError, FileNotFoundError):
                path.unlink(missing_ok=True)  # its waiter died without removing it
            except OSError:  # its buffer is full: it has wakes enough to read
                continue


class Waiter:
    """Subscribed to ``channel`` from its creation until ``close``; ``wait`` returns when a
    notification comes (or after ``timeout`` seconds)."""

    def __init__(self, channel: str) -> None:
        self._listener: Any = None
        self._socket: socket.socket | None = None
        self._path: Path | None = None
        try:
            if _postgres():
                self._listen(channel)
            else:
                self._bind(channel)
        except (OSError, psycopg.Error) as error:
            # Never a reason to stop working: this waiter then only polls.
            logger.warning("wake channel %s unavailable, polling only: %s", channel, error)
            self.close()
            self._listener = self._socket = self._path = None

    def _listen(self, channel: str) -> None:

        params = connection.get_connection_params()
        for key in ("cursor_factory", "pool", "context", "prepare_threshold"):
            params.pop(key, None)
        self._listener = psycopg.connect(**params, autocommit=True)
        self._listener.execute(f"LISTEN {_pg_channel(channel)}")

    def _bind(self, channel: str) -> None:
        self._path = _folder(channel) / f"{os.getpid()}-{uuid.uuid4().hex[:12]}.sock"
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self._path))
        self._socket.setblocking(False)

    def wait(self, timeout: float = SAFETY_POLL) -> bool:
        """True when woken, False after ``timeout`` seconds with no notification."""
        if self._listener is not None:
            woken = False
            for _notification in self._listener.notifies(timeout=timeout, stop_after=1):
                woken = True
            return woken
        if self._socket is None:  # unavailable: the safety poll only
            time.sleep(timeout)
            return False
        readable, _, _ = select.select([self._socket], [], [], timeout)
        if not readable:
            return False
        with contextlib.suppress(BlockingIOError):
            while self._socket.recv(64):  # several wakes while busy are one
                pass
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        if self._socket is not None:
            self._socket.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

    def __enter__(self) -> Waiter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
