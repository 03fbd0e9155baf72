"""Vault files (F7.2): move, rename, properties, upload within quota, search, read and
download journaled — content and proofs never touched."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile
from securact.vault.operations import (
    VaultRefusal,
    create_folder,
    edit_properties,
    move_files,
    record_download,
    record_read,
    rename_file,
    search,
    upload_file,
)
from securact.vault.storage import open_blob
from tests.vault.ops_fixtures import (
    OWNER,
    actions,
    bank_vault,
    deposit,
    last_entry,
    practice,
    proofs,
    vault,
    vault_dir,
)

pytestmark = pytest.mark.django_db


def test_moving_files_changes_their_folder_only_and_journals_each(vault, deposit):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    mine = deposit(vault, "note.txt", b"note")
    create_folder(vault, "/", "Classés", actor=OWNER)
    before = proofs(act)
    assert move_files(vault, [act.pk, mine.pk], "/Classés/", actor=OWNER) == 2
    assert proofs(act) == before
    assert set(StoredFile.objects.values_list("folder", flat=True)) == {"/Classés/"}
    assert actions(vault)[-2:] == [VaultAction.MOVED, VaultAction.MOVED]
    entry = last_entry(vault)
    assert entry.actor == OWNER
    assert (entry.data["from"], entry.data["folder"]) == ("/", "/Classés/")
    assert move_files(vault, [act.pk], "/Classés/", actor=OWNER) == 0  # already there


def test_a_move_onto_a_taken_name_is_refused_and_moves_nothing(vault, deposit):
    first = deposit(vault, "a.pdf", b"1")
    second = deposit(vault, "b.pdf", b"2")
    deposit(vault, "b.pdf", b"3", folder="/x/")
    with pytest.raises(VaultRefusal) as refused:
        move_files(vault, [first.pk, second.pk], "/x/", actor=OWNER)
    assert refused.value.message == "Un fichier « b.pdf » existe déjà dans le dossier « /x »."
    first.refresh_from_db()
    assert first.folder == "/"
    assert VaultAction.MOVED not in actions(vault)


def test_two_files_of_one_name_cannot_go_into_one_folder(vault, deposit):
    one = deposit(vault, "a.pdf", b"1", folder="/p/")
    two = deposit(vault, "a.pdf", b"2", folder="/q/")
    with pytest.raises(VaultRefusal) as refused:
        move_files(vault, [one.pk, two.pk], "/", actor=OWNER)
    assert "Deux des fichiers choisis s'appellent « a.pdf »" in refused.value.message


def test_files_of_another_vault_or_a_missing_folder_are_refused(vault, bank_vault, deposit):
    theirs = deposit(bank_vault, "a.pdf", b"1")
    with pytest.raises(VaultRefusal) as refused:
        move_files(vault, [theirs.pk], "/", actor=OWNER)
    assert refused.value.message == "Un des fichiers choisis n'est plus dans ce coffre-fort."
    mine = deposit(vault, "a.pdf", b"1")
    with pytest.raises(VaultRefusal) as refused:
        move_files(vault, [mine.pk], "/absent/", actor=OWNER)
    assert refused.value.message == "Le dossier « /absent » n'existe pas dans ce coffre-fort."


def test_renaming_a_file_keeps_its_content_and_proofs(vault, deposit):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    before = proofs(act)
    rename_file(act, " Acte Banque.pdf ", actor=OWNER)
    act.refresh_from_db()
    assert act.name == "Acte Banque.pdf"
    assert proofs(act) == before
    with open_blob(act.sha256) as handle:
        assert handle.read() == b"act"
    entry = last_entry(vault)
    assert (entry.action, entry.actor) == (VaultAction.RENAMED, OWNER)
    assert (entry.data["from"], entry.data["name"]) == ("acte.pdf", "Acte Banque.pdf")


def test_renaming_onto_a_taken_name_is_refused(vault, deposit):
    deposit(vault, "a.pdf", b"1")
    other = deposit(vault, "b.pdf", b"2")
    with pytest.raises(VaultRefusal) as refused:
        rename_file(other, "a.pdf", actor=OWNER)
    assert refused.value.message == "Un fichier « a.pdf » existe déjà dans le dossier « / »."
    with pytest.raises(VaultRefusal) as refused:
        rename_file(other, "x/y.pdf", actor=OWNER)
    assert refused.value.message == (
        "Le nom du fichier ne peut pas contenir de barre oblique (/ ou \\)."
    )
    other.refresh_from_db()
    assert other.name == "b.pdf"


def test_properties_are_edited_and_journaled_with_their_new_values(vault, deposit):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    before = proofs(act)
    edit_properties(
        act,
        title=" Saisie  Banque ",
        description="Dossier Martin\n",
        keywords="saisie, banque",
        actor=OWNER,
    )
    act.refresh_from_db()
    assert (act.title, act.description, act.keywords) == (
        "Saisie Banque",
        "Dossier Martin",
        "saisie, banque",
    )
    assert proofs(act) == before
    entry = last_entry(vault)
    assert entry.action == VaultAction.PROPERTIES
    assert entry.data["title"] == "Saisie Banque" and entry.data["keywords"] == "saisie, banque"
    count = len(actions(vault))
    edit_properties(
        act,
        title="Saisie Banque",
        description="Dossier Martin",
        keywords="saisie, banque",
        actor=OWNER,
    )
    assert len(actions(vault)) == count  # nothing changed, nothing journaled
    with pytest.raises(VaultRefusal) as refused:
        edit_properties(act, title="t" * 256, description="", keywords="", actor=OWNER)
    assert refused.value.message == "Le titre dépasse 255 caractères."


def test_an_upload_is_the_owners_own_file_journaled_as_a_deposit(vault, deposit, tmp_path):
    source = tmp_path / "mon fichier.txt"
    source.write_bytes(b"mine")
    create_folder(vault, "/", "Perso", actor=OWNER)
    stored = upload_file(vault, "mon fichier.txt", source, folder="/Perso/", actor=OWNER)
    assert (stored.kind, stored.folder, stored.depositor) == ("other", "/Perso/", OWNER)
    assert stored.retain_until is None
    entry = last_entry(vault)
    assert (entry.action, entry.actor, entry.data["file"]) == (
        VaultAction.DEPOSITED,
        OWNER,
        stored.pk,
    )
    with pytest.raises(VaultRefusal) as refused:
        upload_file(vault, "mon fichier.txt", source, folder="/Perso/", actor=OWNER)
    assert refused.value.message == (
        "Un fichier « mon fichier.txt » existe déjà dans le dossier « /Perso »."
    )


def test_an_upload_beyond_the_quota_is_refused_in_french(vault, deposit, tmp_path):
    vault.quota_bytes = 1000
    vault.save()
    deposit(vault, "acte.pdf", b"x" * 900, kind=StoredFile.Kind.ACT)
    source = tmp_path / "gros.bin"
    source.write_bytes(b"y" * 200)
    with pytest.raises(VaultRefusal) as refused:
        upload_file(vault, "gros.bin", source, actor=OWNER)
    assert refused.value.message == (
        "Le quota de votre coffre-fort serait dépassé : 200 octets à ajouter, 100 octets "
        "disponibles sur 1000 octets. Supprimez des fichiers devenus inutiles ou demandez à "
        "l'administrateur d'augmenter le quota."
    )
    assert not StoredFile.objects.filter(name="gros.bin").exists()
    source.write_bytes(b"y" * 100)
    upload_file(vault, "gros.bin", source, actor=OWNER)  # exactly up to the quota


def test_search_by_text_kind_dates_keywords_and_significations(vault, deposit):
    old = deposit(
        vault, "9991_REF_A.pdf", b"1", kind=StoredFile.Kind.ACT, days_ago=40, signification_id=7
    )
    recent = deposit(vault, "attestation.xml", b"2", kind=StoredFile.Kind.DEPOSIT_CERTIFICATE)
    note = deposit(vault, "note.txt", b"3", folder="/perso/")
    edit_properties(
        note, title="Relance", description="Rappel BANQUE", keywords="relance urgent", actor=OWNER
    )

    def found(**criteria) -> list[str]:
        return [stored.name for stored in search(vault, **criteria)]

    assert found() == ["note.txt", "attestation.xml", "9991_REF_A.pdf"]  # newest first
    assert found(text="ref_a") == ["9991_REF_A.pdf"]
    assert found(text="banque") == ["note.txt"]  # in the description, case aside
    assert found(text="relance") == ["note.txt"]  # in the title
    assert found(kind="act") == ["9991_REF_A.pdf"]
    today = timezone.localdate()
    assert found(date_from=today - timedelta(days=1)) == ["note.txt", "attestation.xml"]
    assert found(date_to=today - timedelta(days=40)) == ["9991_REF_A.pdf"]
    assert found(date_from=today, date_to=today) == ["note.txt", "attestation.xml"]
    assert found(keywords="urgent, relance") == ["note.txt"]
    assert found(keywords="urgent absent") == []
    assert found(signification_ids={7}) == [old.name]
    assert found(signification_ids=[]) == []
    assert recent.name in found(text="ATTEST")


def test_reading_and_downloading_are_journaled(vault, deposit):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    record_read(act, actor=OWNER)
    record_download(act, actor=OWNER)
    assert actions(vault)[-2:] == [VaultAction.READ, VaultAction.DOWNLOADED]
    entry = last_entry(vault)
    assert (entry.actor, entry.data["file"], entry.data["sha256"]) == (OWNER, act.pk, act.sha256)
