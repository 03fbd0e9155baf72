"""The acts a bailiff adds to the form one by one (F3.4) before serving: each is streamed
to disk and checked at once (errors shown next to the file), kept in a per-session draft
folder, and removed on request. Serving hands the draft's files to the one serve call
(``workflow.serving.serve``).

A draft belongs to the certificate that made it (its fingerprint is stored in it): should
the session reach another certificate, that draft is absent for it — never listed, served,
removed or cleared — so that one holder never sees nor loses another's acts."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from securact.documents.services import UploadRefused, check_total_size, check_upload, save_upload
from securact.pki.session import session_fingerprint

_KEY = "securact_draft"
MAX_FILES = 20


@dataclass(frozen=True)
class DraftFile:
    id: str
    name: str
    path: str
    kind: str
    size: int


def _owned(session: Any) -> dict[str, Any] | None:
    """This session's draft if it was made by the certificate now signed in, else None."""
    draft = session.get(_KEY)
    if not draft or draft.get("owner", "") != session_fingerprint(session):
        return None
    return dict(draft)


def _draft(session: Any) -> dict[str, Any]:
    """The owned draft, or a new one (another certificate's is left alone on disk)."""
    draft = _owned(session)
    if draft is None:
        draft = {"folder": uuid.uuid4().hex, "files": [], "owner": session_fingerprint(session)}
        session[_KEY] = draft
    return dict(draft)


def _folder(draft: dict[str, Any]) -> Path:
    folder: str = draft["folder"]
    return Path(settings.SECURACT_UPLOAD_DIR) / "drafts" / folder


def files(session: Any) -> list[DraftFile]:
    draft = _owned(session) or {}
    if draft.get("files"):
        _touch(_folder(draft))
    return [DraftFile(**entry) for entry in draft.get("files", [])]


def _touch(folder: Path) -> None:
    """A draft shown is in use: it must not expire (``draft_expiry``) while it is open."""
    with contextlib.suppress(OSError):
        os.utime(folder)


def find(session: Any, file_id: str) -> DraftFile | None:
    """This session's draft file ``file_id``, or None: an id is only ever looked up here,
    so a request can name nothing outside its own draft."""
    return next((f for f in files(session) if f.id == file_id), None)


def preview_folder(session: Any, file: DraftFile) -> Path:
    """Where the PDF/A preview of ``file`` is cached (F3.6): inside the draft folder, so
    that ``clear`` removes it with everything else."""
    return _previews(_draft(session), file.id)


def _previews(draft: dict[str, Any], file_id: str) -> Path:
    return _folder(draft) / "previews" / file_id


def add_file(session: Any, stream: IO[bytes], name: str) -> DraftFile:
    """Save and check one act; on refusal nothing is kept and UploadRefused says why."""
    draft = _draft(session)
    if len(draft["files"]) >= MAX_FILES:
        from django.utils.translation import gettext

        raise UploadRefused(gettext("Vingt actes au plus par signification."))
    path = save_upload(stream, name, _folder(draft))
    try:
        kind = check_upload(path, name)
        check_total_size([f["size"] for f in draft["files"]] + [path.stat().st_size])
    except UploadRefused:
        path.unlink(missing_ok=True)
        raise
    entry = DraftFile(uuid.uuid4().hex[:12], name, str(path), str(kind), path.stat().st_size)
    draft["files"] = [*draft["files"], asdict(entry)]
    session[_KEY] = draft
    return entry


def remove_file(session: Any, file_id: str) -> None:
    draft = _draft(session)
    kept = []
    for entry in draft["files"]:
        if entry["id"] == file_id:
            Path(entry["path"]).unlink(missing_ok=True)
            shutil.rmtree(_previews(draft, entry["id"]), ignore_errors=True)
        else:
            kept.append(entry)
    draft["files"] = kept
    session[_KEY] = draft


def clear(session: Any) -> None:
    draft = _owned(session)
    if draft is not None:
        session.pop(_KEY, None)
        shutil.rmtree(_folder(draft), ignore_errors=True)
