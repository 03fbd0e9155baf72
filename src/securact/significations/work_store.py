"""The shared work store: the files a signification's steps hand to one another (issue 11,
item 7).

Workers and web processes may run on different machines, each with its own disk: what one
process writes for another (the uploaded acts, the PDF/A, the prepared and signed PDFs, the
``.p7s``, the deposit certificate, the data message, the delivery certificate) goes into
this store under a **key** (``"<signification id>/01.signed.pdf"``,
``"uploads/<batch>/<file>"``), and the key, never a path, is what the database records
(the ``Act.*_path`` and ``DeliveryCertificate.pdf_path`` columns hold keys).

Two backends, chosen by ``SECURACT_WORK_STORAGE`` (empty: the vault's own,
``SECURACT_VAULT_STORAGE``):

* ``local`` (the embedded default): the directory ``SECURACT_WORK_DIR``; a key is a file
  there, read and written in place, so the embedded mode works as before. A key that is an
  absolute path (a row written before the store) is that file.
* ``s3``: the vault's object store (its client and settings, ``vault.s3``), bucket
  ``SECURACT_WORK_S3_BUCKET`` (empty: the vault's bucket) under the prefix
  ``SECURACT_WORK_S3_PREFIX`` (``work/``). Work objects carry no Object Lock retention and
  every version of them is deleted once the signification is archived
  (``work_folders.remove``). Their SHA-256 travels with them (object metadata), and a copy
  downloaded for a step is checked against the one the database recorded.

A process reads a key through ``local_copy`` (the file in place, or a download into its
own scratch folder under its ``SECURACT_WORK_DIR``, kept for the rest of the step and
removed with it, see ``step_scope``) and writes one by producing the file at
``output_path(key)`` then ``put(key, path)``.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from django.conf import settings

from securact.vault.blobs import file_sha256

SCRATCH = ".scratch"  # under SECURACT_WORK_DIR; no key may name it (keys never start with ".")


class MissingWorkFile(Exception):
    """A key the database names is not (or no longer) in the work store, or its content is
    not the one recorded."""


def check_key(key: str) -> str:
    """A key is a relative POSIX path of plain segments (no ``..``, none starting with
    ``.``); ``ValueError`` otherwise."""
    parts = PurePosixPath(key).parts
    if not key or key.startswith("/") or not parts or any(p.startswith(".") for p in parts):
        raise ValueError(f"invalid work store key: {key!r}")
    return key


def signification_prefix(signification_id: int) -> str:
    return f"{signification_id}/"


def key_for(signification_id: int, name: str) -> str:
    """The key of a work file of one signification (removed when it is archived)."""
    return check_key(f"{signification_id}/{name}")


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# --- this process's scratch folder ----------------------------------------------------------


@dataclass
class _Scope:
    folder: Path
    copies: dict[str, Path] = field(default_factory=dict)


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "securact_work_scope", default=None
)
_process_scope: _Scope | None = None


def scratch_root() -> Path:
    """This process's scratch area: under its own ``SECURACT_WORK_DIR``, never shared."""
    return Path(settings.SECURACT_WORK_DIR) / SCRATCH


def _new_scope_folder() -> Path:
    root = _private_dir(scratch_root())
    _remove_dead_scopes(root)
    return Path(tempfile.mkdtemp(prefix=f"{socket.gethostname()}-{os.getpid()}-", dir=root))


def _remove_dead_scopes(root: Path) -> None:
    """Scratch folders left by a process of this machine that died mid-step."""
    host = socket.gethostname()
    for folder in root.iterdir():
        name_host, _sep, rest = folder.name.rpartition("-")[0].rpartition("-")
        pid = rest if name_host == host else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _current_scope() -> _Scope:
    """The step's scope; outside any step, one for the whole process (left on exit)."""
    scope = _scope.get()
    if scope is not None:
        return scope
    global _process_scope
    if _process_scope is None or not _process_scope.folder.is_dir():
        _process_scope = _Scope(_new_scope_folder())
    return _process_scope


@contextlib.contextmanager
def step_scope() -> Iterator[None]:
    """What a step downloads or produces in its scratch folder is kept while it runs
    (a second read of a key is not a second download) and removed when it ends; the
    engine runs each step inside one."""
    scope = _Scope(_new_scope_folder())
    token = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(token)
        shutil.rmtree(scope.folder, ignore_errors=True)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A private temporary folder of this process, removed on the way out (a draft, an
    answer being checked): nothing another process reads."""
    root = _private_dir(scratch_root())
    with tempfile.TemporaryDirectory(dir=root, prefix="tmp-") as folder:
        yield Path(folder)


def _scratch_path(key: str, where: str) -> Path:
    scope = _current_scope()
    path = scope.folder / where / key
    _private_dir(path.parent)
    return path


# --- backends --------------------------------------------------------------------------------


class Backend(Protocol):
    def put(self, key: str, source: Path, sha256: str, *, move: bool) -> None: ...
    def delete(self, key: str) -> None: ...
    def fetch(self, key: str, target: Path) -> bool: ...
    def in_place(self, key: str) -> Path | None: ...
    def exists(self, key: str) -> bool: ...
    def sha256(self, key: str) -> str | None: ...
    def delete_prefix(self, prefix: str) -> None: ...
    def open_stream(self, key: str) -> BinaryIO | None: ...
    def output_path(self, key: str) -> Path | None:
        """The final file for ``key`` when the backend writes in place, else None."""


class LocalBackend:
    """A directory of this machine (``SECURACT_WORK_DIR``): files used in place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if key.startswith("/"):  # a row written before the store: that very file
            return Path(key)
        return self.root / check_key(key)

    def output_path(self, key: str) -> Path:
        path = self._path(key)
        _private_dir(path.parent)
        return path

    def put(self, key: str, source: Path, sha256: str, *, move: bool) -> None:
        target = self.output_path(key)
        if source.resolve() == target.resolve():
            return
        if move:
            try:
                source.replace(target)
                target.chmod(0o600)
                return
            except OSError:  # another filesystem: copied below, then removed
                pass
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            shutil.copyfile(source, partial)
            partial.chmod(0o600)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        if move:
            source.unlink(missing_ok=True)

    def in_place(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def fetch(self, key: str, target: Path) -> bool:  # pragma: no cover - files are in place
        return False

    def open_stream(self, key: str) -> BinaryIO | None:
        path = self._path(key)
        return path.open("rb") if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def sha256(self, key: str) -> str | None:
        path = self._path(key)
        return file_sha256(path) if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        path = self.root / check_key(prefix.rstrip("/"))
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _backend_name() -> str:
    return str(settings.SECURACT_WORK_STORAGE or settings.SECURACT_VAULT_STORAGE).lower()


def backend() -> Backend:
    """The configured backend (read from the settings at each call: tests change them)."""
    if _backend_name() == "s3":
        from securact.significations.work_store_s3 import S3Backend

        return S3Backend.configured()
    return LocalBackend(Path(settings.SECURACT_WORK_DIR))


def is_local() -> bool:
    return _backend_name() != "s3"


# --- the API ---------------------------------------------------------------------------------


def output_path(key: str) -> Path:
    """Where this process writes the output that will be ``put`` under ``key``: the file
    itself in the local store, a file of the step's scratch folder otherwise."""
    check_key(key)
    return backend().output_path(key) or _scratch_path(key, "out")


def put(key: str, source: Path, *, move: bool = False) -> str:
    """Store ``source``'s content under ``key`` (replacing what it held); its SHA-256.
    ``move``: ``source`` is not needed afterwards (it may be moved rather than copied)."""
    check_key(key)
    sha256 = file_sha256(source)
    backend().put(key, source, sha256, move=move)
    if not is_local():
        for scope in (_scope.get(), _process_scope):
            if scope is not None:
                scope.copies.pop(key, None)
        if not move and source.is_file():
            _current_scope().copies[key] = source  # read back without downloading it
    return sha256


def put_bytes(key: str, data: bytes) -> str:
    target = output_path(key)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.chmod(0o600)
    partial.replace(target)
    return put(key, target)


def exists(key: str) -> bool:
    return bool(key) and backend().exists(key)


def sha256(key: str) -> str | None:
    """The SHA-256 of what ``key`` holds, None when it holds nothing."""
    return backend().sha256(key) if key else None


def holds(key: str, expected_sha256: str) -> bool:
    """Does ``key`` hold that content? (A step's "is my output already there?")"""
    return bool(key) and bool(expected_sha256) and sha256(key) == expected_sha256


def local_copy(key: str, expected_sha256: str | None = None) -> Path:
    """A readable file of this machine with ``key``'s content: the file itself in the local
    store; else a copy in the step's scratch folder, downloaded once per step. Checked
    against ``expected_sha256`` when one is given (a row that recorded none: not checked).
    Raises ``MissingWorkFile``."""
    store = backend()
    if not key:
        raise MissingWorkFile(key)
    found = store.in_place(key)
    if found is not None:
        if expected_sha256 and file_sha256(found) != expected_sha256:
            raise MissingWorkFile(key)
        return found
    if isinstance(store, LocalBackend):
        raise MissingWorkFile(key)
    scope = _current_scope()
    cached = scope.copies.get(key)
    if cached is not None and cached.is_file():
        return cached
    target = _scratch_path(key.lstrip("/"), "in")
    if not store.fetch(key, target):
        raise MissingWorkFile(key)
    if expected_sha256 and file_sha256(target) != expected_sha256:
        target.unlink(missing_ok=True)
        raise MissingWorkFile(key)
    scope.copies[key] = target
    return target


def open_stream(key: str) -> BinaryIO:
    """``key``'s content as a stream read in chunks, never copied whole (a download of a
    large file): the file itself in the local store, ranged reads on S3. The caller
    closes it. Raises ``MissingWorkFile``."""
    stream = backend().open_stream(check_key(key)) if key else None
    if stream is None:
        raise MissingWorkFile(key)
    return stream


def delete(key: str) -> None:
    """Remove one key (a no-op when it holds nothing)."""
    if key:
        backend().delete(key if key.startswith("/") else check_key(key))


def delete_prefix(prefix: str) -> None:
    """Remove every key under ``prefix`` (``"12/"``: a signification's work files)."""
    check_key(prefix.rstrip("/"))
    backend().delete_prefix(prefix if prefix.endswith("/") else prefix + "/")
    for scope in (_scope.get(), _process_scope):
        if scope is not None:
            for key in [k for k in scope.copies if k.startswith(prefix)]:
                scope.copies.pop(key, None)
