"""Issue 9, item 1: a draft is bound to the certificate that made it. Should the session
reach another certificate (whatever the middleware does with the session), that draft is
absent for it: not listed, not found, not cleared, its files left on disk."""

from __future__ import annotations

from pathlib import Path

from securact.pki.session import SESSION_FINGERPRINT
from securact.significations import drafts
from tests.documents import samples


def test_a_draft_is_absent_for_another_certificate(settings, tmp_path):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    act = samples.ghostscript_pdf(tmp_path / "acte.pdf")
    session: dict = {SESSION_FINGERPRINT: "a" * 64}
    with act.open("rb") as stream:
        added = drafts.add_file(session, stream, "acte.pdf")
    assert session["securact_draft"]["owner"] == "a" * 64
    assert [f.id for f in drafts.files(session)] == [added.id]

    session[SESSION_FINGERPRINT] = "b" * 64  # the same session data, another certificate
    assert drafts.files(session) == []
    assert drafts.find(session, added.id) is None
    drafts.remove_file(session, added.id)
    drafts.clear(session)
    assert Path(added.path).is_file()  # the other holder's act is untouched

    with act.open("rb") as stream:
        own = drafts.add_file(session, stream, "mien.pdf")
    assert [f.name for f in drafts.files(session)] == ["mien.pdf"]
    assert Path(own.path).parent != Path(added.path).parent
    assert Path(added.path).is_file()
