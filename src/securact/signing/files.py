"""File helpers for signing: streamed digests and all-or-nothing writes.

A worker may be killed at any instant; a half-written signed PDF must never be taken for a
finished one. Every output is written to a temporary file in the same directory, synced,
then renamed over the final name (atomic on POSIX).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> tuple[int, bytes]:
    """Size and SHA-256 of a file, read in chunks (acts may be 50 MB)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.digest()


def _temporary_sibling(final: Path) -> Path:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")


def _sync_and_rename(handle: IO[bytes], temporary: Path, final: Path) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    temporary.replace(final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)


@contextmanager
def atomic_output(final: Path, *, copy_of: Path | None = None) -> Iterator[IO[bytes]]:
    """A read-write handle on a temporary file that replaces ``final`` on success only.

    With ``copy_of``, the temporary file starts as a copy of that file (positioned at 0).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_sibling(final)
    try:
        if copy_of is not None:
            shutil.copyfile(copy_of, temporary)
        handle = temporary.open("r+b" if copy_of is not None else "w+b")
        try:
            yield handle
            _sync_and_rename(handle, temporary, final)
        finally:
            handle.close()
    finally:
        temporary.unlink(missing_ok=True)


def atomic_write_bytes(final: Path, data: bytes) -> None:
    with atomic_output(final) as handle:
        handle.write(data)
