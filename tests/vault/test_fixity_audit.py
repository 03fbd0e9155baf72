"""Fixity audits (*contrôler*, issue 11 item 5): stored content re-read from the REAL storage
and compared with the SHA-256 recorded at deposit; every problem recorded on the file and
journaled in its vault's journal, every audit journaled and kept; nothing repaired."""

from __future__ import annotations

import pytest

from securact.evidence.checking import check_tree
from securact.evidence.journal import PLATFORM_ACTOR
from securact.vault.audit import audit_vaults
from securact.vault.fixity_warning import file_warning
from securact.vault.journaling import VaultAction, file_entries, vault_entries
from securact.vault.models import FixityAudit, StoredFile
from tests.vault.conftest import Backend
from tests.vault.fixity_support import TwoVaults, entries, two_vaults
from tests.vault.storage_tampering import flip_byte, make_unreadable

pytestmark = pytest.mark.django_db
Fixity = StoredFile.Fixity


@pytest.fixture
def tamper(vault_backend: Backend) -> Backend:
    """The storage under test (local, then S3), and how to damage it from outside Securact."""
    return vault_backend


@pytest.fixture
def files(tamper, tmp_path) -> TwoVaults:
    return two_vaults(tmp_path / "work")


def _state(stored: StoredFile) -> str:
    stored.refresh_from_db()
    return stored.fixity_state


def test_an_intact_vault_passes_and_the_audit_is_journaled_and_kept(files):
    report = audit_vaults()

    assert report.intact and not report.problems
    audit = FixityAudit.objects.get()
    assert (audit.checked, audit.intact, audit.problems) == (5, 5, 0)
    assert audit.finished_at is not None and audit.trigger == "command"
    assert report.contents_read == 4  # the copy shared by both vaults is read once
    for stored in StoredFile.objects.all():
        assert stored.fixity_state == Fixity.INTACT and stored.fixity_checked_at is not None
    audited = entries(VaultAction.AUDITED)
    by_vault = {entry.data["vault"]: entry.data for entry in audited}
    assert by_vault[files.durand.pk]["checked"] == 3
    assert by_vault[files.martin.pk]["intact"] == 2
    assert by_vault[None]["checked"] == 5 and by_vault[None]["vaults"] == 2
    assert all(entry.actor == PLATFORM_ACTOR for entry in audited)
    assert files.durand.pk in {
        e.data.get("vault") for e in vault_entries(files.durand) if e.action == VaultAction.AUDITED
    }
    assert check_tree().intact


def test_a_changed_byte_is_found_journaled_and_left_as_it_is(files, tamper):
    damaged = flip_byte(tamper, files.act.sha256, offset=100)

    report = audit_vaults()

    assert not report.intact
    [problem] = report.problems
    assert problem.stored.pk == files.act.pk and problem.finding.state == Fixity.ALTERED
    assert _state(files.act) == Fixity.ALTERED
    assert _state(files.certificate) == Fixity.INTACT
    [entry] = entries(VaultAction.ALTERED)
    assert entry.actor == PLATFORM_ACTOR
    assert entry.data["file"] == files.act.pk
    assert entry.data["sha256"] == files.act.sha256
    assert entry.data["found_hash"] != files.act.sha256
    assert entry.data["found_size"] == files.act.size
    assert entry.data["audit"] == report.audit.pk
    assert entry in list(file_entries(files.act.pk))
    assert (report.audit.altered, report.audit.intact) == (1, 4)
    # Nothing is repaired: the bytes are still the damaged ones.
    assert tamper.content(files.act.sha256) == damaged


def test_a_truncated_content_is_altered(files, tamper):
    tamper.truncate(files.certificate.sha256)  # one byte less

    report = audit_vaults()

    [problem] = report.problems
    assert problem.stored.pk == files.certificate.pk
    assert problem.finding.state == Fixity.ALTERED
    assert problem.finding.facts["found_size"] == files.certificate.size - 1
    assert "octets lus" in problem.finding.detail()


def test_a_missing_content_never_stops_the_audit_of_the_others(files, tamper):
    tamper.remove(files.act.sha256)
    flip_byte(tamper, files.note.sha256)

    report = audit_vaults()

    assert {(p.stored.pk, p.finding.state) for p in report.problems} == {
        (files.act.pk, Fixity.MISSING),
        (files.note.pk, Fixity.ALTERED),
    }
    assert _state(files.act) == Fixity.MISSING
    for stored in (files.certificate, files.durand_copy, files.martin_copy):
        assert _state(stored) == Fixity.INTACT
    assert (report.audit.checked, report.audit.missing, report.audit.altered) == (5, 1, 1)
    [missing] = entries(VaultAction.MISSING)
    assert missing.data["file"] == files.act.pk


def test_an_unreadable_content_is_reported_and_the_others_checked(files, tamper):
    if tamper.name != "local":
        pytest.skip("an object store has no directory to put in a content's place")
    make_unreadable(tamper, files.certificate.sha256)

    report = audit_vaults()

    [problem] = report.problems
    assert problem.finding.state == Fixity.UNREADABLE
    assert problem.finding.facts["error"]
    assert _state(files.certificate) == Fixity.UNREADABLE
    assert report.audit.intact == 4
    [entry] = entries(VaultAction.UNREADABLE)
    assert entry.data["file"] == files.certificate.pk


def test_a_shared_content_is_read_once_and_its_problem_reported_on_each_file(files, tamper):
    flip_byte(tamper, files.durand_copy.sha256)

    report = audit_vaults()

    assert report.contents_read == 4
    assert {p.stored.pk for p in report.problems} == {files.durand_copy.pk, files.martin_copy.pk}
    altered = entries(VaultAction.ALTERED)
    assert {e.data["vault"] for e in altered} == {files.durand.pk, files.martin.pk}


def test_an_unknown_hash_algorithm_is_refused_clearly(files):
    StoredFile.objects.filter(pk=files.note.pk).update(hash_algorithm="md5")

    report = audit_vaults()

    [problem] = report.problems
    assert problem.stored.pk == files.note.pk
    assert problem.finding.state == Fixity.UNREADABLE
    assert "algorithme d'empreinte non pris en charge : « md5 »" in problem.finding.detail()
    assert report.contents_read == 3  # the note's content was not read


def test_one_vault_only(files, tamper):
    flip_byte(tamper, files.note.sha256)

    report = audit_vaults(files.durand)

    assert report.intact
    assert report.audit.vault == files.durand and report.audit.checked == 3
    assert _state(files.note) == Fixity.UNCHECKED
    [entry] = entries(VaultAction.AUDITED)  # the vault's own entry, no platform-wide one
    assert entry.data["vault"] == files.durand.pk


def test_a_later_audit_finds_the_problem_again_and_reports_a_restored_content(files, tamper):
    original = tamper.content(files.act.sha256)
    flip_byte(tamper, files.act.sha256)
    audit_vaults()
    assert not audit_vaults().intact  # still there: nothing was repaired in between
    assert len(entries(VaultAction.ALTERED)) == 2

    tamper.overwrite(files.act.sha256, original)
    report = audit_vaults()

    assert report.intact
    assert _state(files.act) == Fixity.INTACT
    durand = next(
        e
        for e in entries(VaultAction.AUDITED)
        if e.data["audit"] == report.audit.pk and e.data["vault"] == files.durand.pk
    )
    assert durand.data["intact_again"] == [files.act.pk]


def test_a_sample_takes_the_least_recently_checked_first_and_goes_round(files):
    seen: list[set[int]] = []
    for _run in range(3):
        report = audit_vaults(sample=2)
        assert report.audit.sample == 2
        checked = set(
            StoredFile.objects.filter(fixity_checked_at__gte=report.audit.started_at).values_list(
                "pk", flat=True
            )
        )
        seen.append(checked)
    assert [len(s) for s in seen] == [2, 2, 2]
    assert seen[0].isdisjoint(seen[1])
    assert seen[0] | seen[1] | seen[2] == set(StoredFile.objects.values_list("pk", flat=True))
    assert not StoredFile.objects.filter(fixity_state=Fixity.UNCHECKED).exists()


def test_the_owner_is_told_on_the_file(files, tamper):
    tamper.remove(files.act.sha256)
    assert file_warning(files.act) is None  # never checked: nothing to say yet
    audit_vaults()
    files.act.refresh_from_db()
    files.certificate.refresh_from_db()

    warning = file_warning(files.act)

    assert warning is not None
    assert warning.startswith("Contrôle d'intégrité du ")
    assert "introuvable" in warning and "Rien n'a été corrigé" in warning
    assert file_warning(files.certificate) is None


def test_pages_keep_a_content_and_its_files_together(files, tamper, monkeypatch):
    """Small pages (as 500 are at scale): every file checked once, each content read once."""
    from securact.vault import audit

    monkeypatch.setattr(audit, "_HASH_PAGE", 1)
    monkeypatch.setattr(audit, "_ROW_PAGE", 1)
    monkeypatch.setattr(audit, "_UPDATE_BATCH", 2)
    flip_byte(tamper, files.martin_copy.sha256)

    full = audit_vaults()
    sampled = audit_vaults(sample=5)

    for report in (full, sampled):
        assert report.audit.checked == 5 and report.contents_read == 4
        assert {p.stored.pk for p in report.problems} == {
            files.durand_copy.pk,
            files.martin_copy.pk,
        }
