"""The reversibility export goes on past a file missing or damaged in storage: the bag is
complete and valid (``bagit.py --validate``), the file is described but not copied, and the
report inside the bag names it; ``securact export`` exits 1 and lists it, 2 on a bad
request."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from securact.bundles.export import write_export
from securact.bundles.export_scope import practice_scope, recipient_scope
from tests.bundles.conftest import bagit_validate
from tests.vault.storage_tampering import flip_byte, local_vault

pytestmark = pytest.mark.django_db


def test_an_export_with_a_deleted_object_completes_and_reports_it(sample, tmp_path):
    local_vault().remove(sample.deposit_certificate.sha256)
    flip_byte(local_vault(), sample.archive.sha256, offset=10)
    target = tmp_path / "export"

    report = write_export(practice_scope("9991"), target)

    assert {(p.file_id, p.state) for p in report.problems} == {
        (sample.deposit_certificate.pk, "introuvable"),
        (sample.archive.pk, "altere"),
    }
    validated = bagit_validate(target)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    data = target / "data"
    rapport = json.loads((data / "rapport.json").read_text())
    assert rapport["complete"] is False and rapport["files"]["problems"] == 2
    assert "attestation_depot.xml" in (data / "rapport.txt").read_text()
    meta = json.loads((data / "metadonnees" / f"{sample.deposit_certificate.pk}.json").read_text())
    assert meta["export_state"] == "introuvable" and meta["export_path"] is None
    vault_folder = data / "fichiers" / f"coffre-{sample.bailiff_vault.pk}"
    assert not (vault_folder / "BANQUE_TEST__PREUVE-1" / "attestation_depot.xml").exists()
    assert not (vault_folder / "BANQUE_TEST__PREUVE-1" / sample.archive.name).exists()
    lines = (data / "fichiers.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id;coffre_fort;")
    assert any(line.endswith(";introuvable") for line in lines)
    # Every entry of the practice's significations, with its proof.
    for sequence in sample.entries.values():
        assert (data / "journal" / "entries" / f"{sequence}.json").is_file()
        assert (data / "journal" / "proofs" / f"{sequence}.json").is_file()


def test_the_recipients_export_holds_its_vault_and_what_its_portal_shows(sample, tmp_path):
    target = tmp_path / "export"
    report = write_export(recipient_scope("999 990 013 00016"), target)
    assert report.complete and report.files == 1
    entries = target / "data" / "journal" / "entries"
    assert (entries / f"{sample.entries['signification.deposited']}.json").is_file()
    assert not (entries / f"{sample.entries['signification.submitted']}.json").exists()
    act = target / "data" / "fichiers" / f"coffre-{sample.recipient_vault.pk}" / sample.act.name
    assert act.is_file()
    assert bagit_validate(target).returncode == 0


def test_the_command_exits_1_listing_what_is_missing(sample, tmp_path, capsys):
    local_vault().remove(sample.act.sha256)
    with pytest.raises(SystemExit) as ended:
        call_command("export", "--recipient", "99999001300016", "--out", str(tmp_path / "x"))
    assert ended.value.code == 1
    out, err = capsys.readouterr()
    assert "0 fichiers" in out and "1 fichier n'a pas pu être exporté" in err
    assert sample.act.name in err and "introuvable" in err


def test_the_command_refuses_an_unknown_owner_or_a_full_folder(sample, tmp_path, capsys):
    with pytest.raises(SystemExit) as ended:
        call_command("export", "--practice", "0000", "--out", str(tmp_path / "x"))
    assert ended.value.code == 2
    assert "Aucune étude ne porte le code « 0000 »" in capsys.readouterr().err
    full = tmp_path / "plein"
    full.mkdir()
    (full / "autre.txt").write_text("x")
    with pytest.raises(SystemExit) as ended:
        call_command("export", "--practice", "9991", "--out", str(full))
    assert ended.value.code == 2
    assert "n'est pas vide" in capsys.readouterr().err
