"""Issue 9, item 3 (drafts): a draft untouched for SECURACT_DRAFT_TTL_HOURS is removed by the
worker (at start, then periodically) or on demand; a fresh one, and an old one still in use
(an act just added, or the form just shown with it), are kept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from securact.pki.session import SESSION_FINGERPRINT
from securact.significations import drafts
from securact.significations.draft_expiry import expire_drafts
from tests.documents import samples

HOUR = 3600


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    settings.SECURACT_DRAFT_TTL_HOURS = 24
    return tmp_path / "uploads"


def _draft(tmp_path: Path, name: str) -> tuple[dict, Path]:
    """A session with one act in its draft, and the draft's folder."""
    session: dict = {SESSION_FINGERPRINT: "f" * 64}
    act = samples.ghostscript_pdf(tmp_path / f"{name}.pdf")
    with act.open("rb") as stream:
        added = drafts.add_file(session, stream, f"{name}.pdf")
    return session, Path(added.path).parent


def _age(folder: Path, hours: float) -> None:
    """Make the folder and everything in it as old as ``hours``."""
    moment = time.time() - hours * HOUR
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (moment, moment))


def test_an_abandoned_draft_is_removed_and_a_fresh_one_kept(uploads, tmp_path):
    _old_session, old = _draft(tmp_path, "abandonne")
    _fresh_session, fresh = _draft(tmp_path, "recent")
    _age(old, 25)
    _age(fresh, 23)
    assert expire_drafts() == 1
    assert not old.exists()
    assert fresh.is_dir() and list(fresh.iterdir())


def test_an_old_draft_in_use_is_kept(uploads, tmp_path):
    adding, added_to = _draft(tmp_path, "ajout")
    shown, shown_folder = _draft(tmp_path, "affiche")
    _age(added_to, 30)
    _age(shown_folder, 30)
    with samples.ghostscript_pdf(tmp_path / "encore.pdf").open("rb") as stream:
        drafts.add_file(adding, stream, "encore.pdf")  # an act added just now
    assert [f.name for f in drafts.files(shown)] == ["affiche.pdf"]  # the form shown now
    assert expire_drafts() == 0
    assert len(drafts.files(adding)) == 2
    assert all(Path(f.path).is_file() for f in drafts.files(adding) + drafts.files(shown))


def test_the_ttl_is_a_setting(uploads, tmp_path, settings):
    _session, folder = _draft(tmp_path, "court")
    _age(folder, 2)
    assert expire_drafts() == 0
    settings.SECURACT_DRAFT_TTL_HOURS = 1
    assert expire_drafts() == 1 and not folder.exists()


def test_on_demand_command_removes_abandoned_drafts(uploads, tmp_path, capsys):
    _session, folder = _draft(tmp_path, "oublie")
    _age(folder, 48)
    call_command("expire_drafts")
    assert not folder.exists()
    assert "1 brouillon(s)" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_worker_removes_abandoned_drafts_when_it_starts(uploads, tmp_path, monkeypatch):
    from securact.workflow.management.commands import worker

    started: list[float] = []
    monkeypatch.setattr(worker, "start_sweeper", lambda period: None)
    monkeypatch.setattr(worker, "start_draft_cleaner", started.append)
    _session, old = _draft(tmp_path, "vieux")
    _fresh, fresh = _draft(tmp_path, "neuf")
    _age(old, 25)
    call_command("worker", batch=True)
    assert not old.exists() and fresh.is_dir()
    assert started  # and it keeps cleaning periodically


def test_the_worker_cleaner_repeats(uploads, tmp_path):
    from securact.significations.draft_expiry import start_draft_cleaner

    cleaner = start_draft_cleaner(0.05)
    try:
        _session, folder = _draft(tmp_path, "plus-tard")  # abandoned after the start
        _age(folder, 25)
        deadline = time.monotonic() + 5
        while folder.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not folder.exists()
    finally:
        cleaner.stop()
