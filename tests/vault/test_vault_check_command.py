"""``securact vault check [--vault ID] [--sample N]``: French counts and each problem file;
exit 0 when intact, 1 on an altered, missing or unreadable content, 2 on a bad request."""

from __future__ import annotations

import io
import os
import subprocess

import pytest
from django.core.management import call_command

from securact.evidence.checking import check_tree
from securact.vault.journaling import VaultAction
from securact.vault.models import FixityAudit, StoredFile
from tests.conftest import server_environment
from tests.processes import BIN
from tests.vault.conftest import Backend
from tests.vault.fixity_support import TwoVaults, entries, two_vaults
from tests.vault.storage_tampering import cut, flip_byte


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("vault", "check", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def tamper(vault_backend: Backend) -> Backend:
    """The storage under test (local, then S3), and how to damage it from outside Securact."""
    return vault_backend


@pytest.fixture
def files(tamper, tmp_path) -> TwoVaults:
    return two_vaults(tmp_path / "work")


@pytest.mark.django_db
def test_an_intact_vault_exits_0_with_the_counts_in_french(files):
    code, out, err = _check()
    assert code == 0, err
    assert "Contrôle d'intégrité n° " in out
    assert "tous les coffres-forts" in out
    assert "5 fichiers contrôlés, 4 contenus relus" in out
    assert "intègres : 5, altérés : 0, introuvables : 0, illisibles : 0" in out
    assert err == ""


@pytest.mark.django_db
def test_each_problem_file_is_listed_and_the_exit_status_is_1(files, tamper):
    cut(tamper, files.act.sha256, keep=10)
    tamper.remove(files.note.sha256)

    code, out, err = _check()

    assert code == 1
    assert "altérés : 1, introuvables : 1" in out
    assert "2 fichiers en défaut d'intégrité (rien n'a été corrigé)" in err
    assert f"coffre-fort n° {files.durand.pk} (" in err
    assert "/REF-1/acte.pdf : contenu altéré (empreinte relue " in err
    assert f"coffre-fort n° {files.martin.pk} (" in err
    assert "/note.txt : contenu introuvable" in err


@pytest.mark.django_db
def test_one_vault_and_a_sample(files, tamper):
    flip_byte(tamper, files.note.sha256)  # in Martin's vault: not in this audit

    code, out, _err = _check("--vault", str(files.durand.pk), "--sample", "2")

    assert code == 0
    assert f"coffre-fort n° {files.durand.pk}" in out
    assert "échantillon de 2 fichiers" in out and "2 fichiers contrôlés" in out
    audit = FixityAudit.objects.get()
    assert (audit.vault_id, audit.sample, audit.checked) == (files.durand.pk, 2, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vault", "999999"], "Aucun coffre-fort ne porte le numéro 999999."),
        (["--vault", "abc"], "Numéro de coffre-fort invalide : « abc »"),
        (["--sample", "0"], "Taille d'échantillon invalide : « 0 »"),
    ],
)
def test_a_bad_request_exits_2_in_french_and_audits_nothing(files, args, message):
    code, _out, err = _check(*args)
    assert code == 2
    assert message in err
    assert not FixityAudit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_as_an_operator_runs_it(tmp_path, demo_layout, django_db_blocker, tamper):
    """A real ``securact`` process on the same database and storage: exit 1, the problem
    journaled and recorded on the file; then, the content put back, exit 0."""
    files = two_vaults(tmp_path / "work")
    original = tamper.content(files.act.sha256)
    flip_byte(tamper, files.act.sha256, offset=7)
    with django_db_blocker.unblock():
        env = {
            **os.environ,
            **server_environment(demo_layout, **tamper.env()),
        }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "securact"), "vault", "check", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = run()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "/REF-1/acte.pdf : contenu altéré" in done.stderr
    assert "Traceback" not in done.stderr and " ERROR " not in done.stderr
    files.act.refresh_from_db()
    assert files.act.fixity_state == StoredFile.Fixity.ALTERED
    [altered] = entries(VaultAction.ALTERED)
    assert altered.data["file"] == files.act.pk
    assert check_tree().intact

    tamper.overwrite(files.act.sha256, original)
    again = run("--vault", str(files.durand.pk))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "intègres : 3" in again.stdout

    unknown = run("--vault", "424242")
    assert unknown.returncode == 2
    assert "Aucun coffre-fort ne porte le numéro 424242." in unknown.stderr


def test_the_help_is_french():
    done = subprocess.run(
        [str(BIN / "securact"), "vault", "check", "--help"],
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("utilisation : securact vault check")
    assert "--sample N" in done.stdout and "Affiche cette aide" in done.stdout
    wrong = subprocess.run(
        [str(BIN / "securact"), "vault", "verifier"],
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert wrong.returncode == 2
    assert "choix invalide" in wrong.stderr and "usage:" not in wrong.stderr
