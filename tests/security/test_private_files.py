"""Issue 9, item 3: after a real serve (real `securact worker` processes), everything the
service wrote is private to its user (files 0600, folders 0700), and the work folder of the
served signification is gone while its vault content is intact."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from securact.significations.archive import verify_archive
from securact.vault.models import StoredFile
from securact.vault.storage import blob_intact
from securact.workflow.cli import ServeRequest, serve

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _public(root: Path) -> list[str]:
    """What under ``root`` (``root`` excluded) another local user could read or enter."""
    found = []
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode & ~wanted:
            found.append(f"{oct(mode)} {path.relative_to(root)}")
    return found


def test_a_served_signification_leaves_only_private_files_and_no_work_folder(
    declared_bailiff, acts, workers, service_dirs, tmp_path, smtp_server, sms_gateway
):
    workers.start(1)  # with this test process's umask (022): the worker must set its own
    # The in-process `serve` stands for the `securact serve` command, whose entry point
    # (securact.cli.main) sets this umask.
    previous = os.umask(0o077)
    pin_file = tmp_path / "pin"
    pin_file.write_text(declared_bailiff.record["pin"])
    pin_file.chmod(0o600)
    result = serve(
        ServeRequest(
            bailiff_cert=Path(declared_bailiff.cert),
            recipient_siret="99999001300016",
            nature_code="mainlevee",
            reference="PRIVE-2026-0001",
            pin_file=pin_file,
            files=acts[:2],
            timeout=240,
        )
    )
    os.umask(previous)
    assert result.succeeded, result.as_dict()
    workers.stop()

    assert not (service_dirs.work / str(result.signification_id)).exists()
    stored = StoredFile.objects.filter(signification_id=result.signification_id)
    assert {StoredFile.Kind.ARCHIVE, StoredFile.Kind.ACT} <= set(
        stored.values_list("kind", flat=True)
    )
    for each in stored:
        assert blob_intact(each.sha256), each
    archive = next(p for name, p in result.paths.items() if name.endswith(".zip"))
    assert verify_archive(Path(archive)) == []  # exported from the vault, whole
    data_dir = Path(workers.env["SECURACT_DATA_DIR"])
    for root in (service_dirs.upload, service_dirs.work, service_dirs.vault, data_dir):
        assert _public(root) == [], root


def test_the_cli_entry_point_sets_a_private_umask(tmp_path):
    import subprocess

    from tests.processes import BIN

    program = (
        "import os, sys\n"
        "sys.argv = ['securact', 'check']\n"
        "from securact import cli\n"
        "cli.main()\n"
        "print(oct(os.umask(0)))\n"
    )
    probe = subprocess.run(
        [str(BIN / "python"), "-c", program],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SECURACT_DATA_DIR": str(tmp_path)},
    )
    assert probe.stdout.strip().splitlines()[-1] == "0o77", probe.stdout + probe.stderr
