"""Vault folders (F7.2): list, create, rename (by prefix, content untouched), delete."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.vault.journaling import VaultAction
from securact.vault.models import Folder, StoredFile
from securact.vault.operations import (
    VaultRefusal,
    create_folder,
    delete_folder,
    list_folder,
    rename_folder,
    sync_folders,
)
from tests.vault.ops_fixtures import (
    OWNER,
    actions,
    deposit,
    last_entry,
    practice,
    proofs,
    vault,
    vault_dir,
)

pytestmark = pytest.mark.django_db


def _names(listing) -> list[str]:
    return [sub.name for sub in listing.subfolders]


def test_listing_shows_folders_from_rows_and_from_the_files_paths(vault, deposit):
    create_folder(vault, "/", "Personnel", actor=OWNER)
    deposit(vault, "b.pdf", b"b", folder="/2026/Banque/")
    deposit(vault, "z.pdf", b"z")
    deposit(vault, "a.pdf", b"a")
    root = list_folder(vault)
    assert root.path == "/" and root.parent is None
    assert _names(root) == ["2026", "Personnel"]
    assert [f.name for f in root.files] == ["a.pdf", "z.pdf"]
    inner = list_folder(vault, "2026")
    assert inner.path == "/2026/" and inner.parent == "/"
    assert [(s.name, s.path) for s in inner.subfolders] == [("Banque", "/2026/Banque/")]
    assert not inner.files.exists()
    assert [c.path for c in list_folder(vault, "/2026/Banque/").breadcrumbs] == [
        "/",
        "/2026/",
        "/2026/Banque/",
    ]


def test_listing_a_folder_that_does_not_exist_is_refused_in_french(vault):
    with pytest.raises(VaultRefusal) as refused:
        list_folder(vault, "/nulle part/")
    assert refused.value.message == "Le dossier « /nulle part » n'existe pas dans ce coffre-fort."


def test_listing_costs_the_same_queries_whatever_the_number_of_files(vault, deposit):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listing = list_folder(vault)
            list(listing.files[:50])
        return len(captured)

    deposit(vault, "one.pdf", b"1", folder="/a/")
    few = queries()
    for number in range(30):
        deposit(vault, f"{number}.pdf", str(number).encode(), folder=f"/f{number % 7}/")
    assert queries() == few


def test_creating_a_folder_is_journaled_and_a_second_one_of_that_name_refused(vault):
    folder = create_folder(vault, "/", "  Dossiers 2026 ", actor=OWNER)
    assert folder.path == "/Dossiers 2026/"
    entry = last_entry(vault)
    assert (entry.action, entry.actor) == (VaultAction.FOLDER_CREATED, OWNER)
    assert entry.data["folder"] == "/Dossiers 2026/"
    create_folder(vault, "/Dossiers 2026/", "Banque", actor=OWNER)
    assert _names(list_folder(vault, "/Dossiers 2026/")) == ["Banque"]
    with pytest.raises(VaultRefusal) as refused:
        create_folder(vault, "/", "Dossiers 2026", actor=OWNER)
    assert refused.value.message == "Un dossier « /Dossiers 2026 » existe déjà."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Le nom du dossier est vide."),
        ("a/b", "Le nom du dossier ne peut pas contenir de barre oblique (/ ou \\)."),
        ("..", "« .. » n'est pas un nom permis."),
        ("x" * 256, "Le nom du dossier dépasse 255 caractères."),
    ],
)
def test_unusable_folder_names_are_refused_in_french(vault, name, message):
    with pytest.raises(VaultRefusal) as refused:
        create_folder(vault, "/", name, actor=OWNER)
    assert refused.value.message == message
    assert not Folder.objects.exists()


def test_a_folder_is_made_only_inside_an_existing_one(vault):
    with pytest.raises(VaultRefusal) as refused:
        create_folder(vault, "/absent/", "x", actor=OWNER)
    assert refused.value.message == "Le dossier « /absent » n'existe pas dans ce coffre-fort."


def test_renaming_a_folder_rewrites_its_prefix_only_and_never_the_content(vault, deposit):
    inside = deposit(vault, "acte.pdf", b"act", folder="/a/", kind=StoredFile.Kind.ACT)
    deeper = deposit(vault, "x.pdf", b"x", folder="/a/x/")
    sibling = deposit(vault, "ab.pdf", b"ab", folder="/ab/")
    other_case = deposit(vault, "A.pdf", b"A", folder="/A/")
    create_folder(vault, "/a/", "vide", actor=OWNER)
    create_folder(vault, "/", "abc", actor=OWNER)
    before = proofs(inside)

    assert rename_folder(vault, "/a/", "c", actor=OWNER) == "/c/"

    def folder_of(stored: StoredFile) -> str:
        stored.refresh_from_db()
        return stored.folder

    assert folder_of(inside) == "/c/"
    assert folder_of(deeper) == "/c/x/"
    assert folder_of(sibling) == "/ab/"
    assert folder_of(other_case) == "/A/"
    assert sorted(Folder.objects.values_list("path", "parent")) == [
        ("/A/", "/"),
        ("/ab/", "/"),
        ("/abc/", "/"),
        ("/c/", "/"),
        ("/c/vide/", "/c/"),
        ("/c/x/", "/c/"),
    ]
    assert proofs(inside) == before
    entry = last_entry(vault)
    assert entry.action == VaultAction.FOLDER_RENAMED and entry.actor == OWNER
    assert (
        entry.data.items()
        >= {"folder": "/a/", "new_folder": "/c/", "files": 2, "folders": 3}.items()
    )
    assert _names(list_folder(vault)) == ["A", "ab", "abc", "c"]


def test_renaming_onto_an_existing_folder_or_the_root_is_refused(vault, deposit):
    deposit(vault, "1.pdf", b"1", folder="/a/")
    deposit(vault, "2.pdf", b"2", folder="/b/")
    with pytest.raises(VaultRefusal) as refused:
        rename_folder(vault, "/a/", "b", actor=OWNER)
    assert refused.value.message == "Un dossier « /b » existe déjà."
    with pytest.raises(VaultRefusal) as refused:
        rename_folder(vault, "/", "racine", actor=OWNER)
    assert refused.value.message == "La racine du coffre-fort ne peut pas être renommée."
    assert StoredFile.objects.filter(folder="/a/").count() == 1


def test_a_folder_name_making_a_path_too_long_is_refused(vault, deposit):
    deposit(vault, "1.pdf", b"1", folder="/a/" + "x" * 200 + "/")
    with pytest.raises(VaultRefusal) as refused:
        rename_folder(vault, "/a/", "y" * 60, actor=OWNER)
    assert "plus long que 255 caractères" in refused.value.message


def test_only_an_empty_folder_is_deleted(vault, deposit):
    create_folder(vault, "/", "plein", actor=OWNER)
    deposit(vault, "1.pdf", b"1", folder="/plein/")
    with pytest.raises(VaultRefusal) as refused:
        delete_folder(vault, "/plein/", actor=OWNER)
    assert refused.value.message == (
        "Le dossier « /plein » n'est pas vide : déplacez ou supprimez d'abord ses fichiers "
        "et ses sous-dossiers."
    )
    create_folder(vault, "/", "parent", actor=OWNER)
    create_folder(vault, "/parent/", "enfant", actor=OWNER)
    with pytest.raises(VaultRefusal):
        delete_folder(vault, "/parent/", actor=OWNER)
    delete_folder(vault, "/parent/enfant/", actor=OWNER)
    delete_folder(vault, "/parent/", actor=OWNER)
    assert _names(list_folder(vault)) == ["plein"]
    assert actions(vault)[-2:] == [VaultAction.FOLDER_DELETED, VaultAction.FOLDER_DELETED]
    assert last_entry(vault).data["folder"] == "/parent/"


def test_every_folder_holding_files_has_its_row_and_sync_repairs_bulk_loads(vault, deposit):
    deposit(vault, "a.pdf", b"a", folder="/x/y/z/")
    assert sorted(Folder.objects.values_list("path", "parent")) == [
        ("/x/", "/"),
        ("/x/y/", "/x/"),
        ("/x/y/z/", "/x/y/"),
    ]
    loaded = deposit(vault, "b.pdf", b"b")
    StoredFile.objects.filter(pk=loaded.pk).update(folder="/chargé/en masse/")  # as by SQL
    assert _names(list_folder(vault)) == ["x"]
    assert sync_folders(vault) == 5
    assert _names(list_folder(vault)) == ["chargé", "x"]
    assert [f.name for f in list_folder(vault, "/chargé/en masse/").files] == ["b.pdf"]


def test_subfolders_are_paged_like_files(vault, deposit):
    for number in range(12):
        deposit(vault, f"{number}.pdf", str(number).encode(), folder=f"/dossier {number:02d}/")
    listing = list_folder(vault)
    page = Paginator(listing.subfolders, 5).page(3)
    assert [folder.name for folder in page] == ["dossier 10", "dossier 11"]
    assert page.paginator.count == 12


def test_the_migration_gives_every_folder_of_existing_files_its_row(vault, deposit):
    migration = importlib.import_module("securact.vault.migrations.0009_vault_ops")
    deposit(vault, "a.pdf", b"a", folder="/2025/Banque/")
    Folder.objects.all().delete()  # as before the migration: no rows for files' folders
    Folder.objects.create(vault=vault, path="/vide/sous/", parent="/")  # parent not yet set
    migration.folder_rows(django_apps, None)
    assert sorted(Folder.objects.values_list("path", "parent")) == [
        ("/2025/", "/"),
        ("/2025/Banque/", "/2025/"),
        ("/vide/", "/"),
        ("/vide/sous/", "/vide/"),
    ]
