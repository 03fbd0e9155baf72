"""*Lire le journal* (F7.4): the vault's entries in French words, exported as CSV."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

import csv
import io
from types import GeneratorType

import pytest
from django.utils import timezone

from securact.evidence.journal import PLATFORM_ACTOR
from securact.vault.journaling import VaultAction, vault_entries
from securact.vault.models import StoredFile
from securact.vault.operations import (
    ACTION_LABELS,
    action_label,
    create_folder,
    rename_file,
    vault_journal_csv,
)
from tests.vault.ops_fixtures import (
    OWNER,
    SERVICE,
    bank_vault,
    deposit,
    practice,
    vault,
    vault_dir,
)

pytestmark = pytest.mark.django_db


def test_every_vault_action_has_its_french_label():
    codes = {v for k, v in vars(VaultAction).items() if k.isupper()}
    assert codes <= set(ACTION_LABELS)
    assert action_label(VaultAction.DELETION_REFUSED) == "Suppression refusée"
    assert action_label("vault.unknown") == "vault.unknown"


def test_the_csv_export_lists_the_vaults_entries_in_french(vault, bank_vault, deposit):
    act = deposit(vault, "acte;1.pdf", b"act", kind=StoredFile.Kind.ACT, folder="/d/")
    deposit(bank_vault, "other.pdf", b"other")  # another vault's entries stay out
    rename_file(act, "acte, banque.pdf", actor=OWNER)
    create_folder(vault, "/", "Perso", actor=OWNER)

    lines = vault_journal_csv(vault)
    assert isinstance(lines, GeneratorType)  # streamed
    text = "".join(lines)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "N° d'entrée",
        "Date",
        "Acteur (empreinte du certificat)",
        "Action",
        "Fichier",
        "Empreinte SHA-256 du fichier",
        "Empreinte de l'entrée (SHA-256)",
    ]
    entries = list(vault_entries(vault).order_by("sequence"))
    assert [row[0] for row in rows[1:]] == [str(entry.sequence) for entry in entries]
    deposited, renamed, created = rows[1:]
    assert deposited[2:6] == [SERVICE, "Dépôt", "/d/acte;1.pdf", act.sha256]
    assert renamed[2:6] == [OWNER, "Renommage", "/d/acte, banque.pdf", act.sha256]
    assert created[3:6] == ["Création de dossier", "/Perso/", ""]
    assert deposited[6] == entries[0].entry_hash
    assert deposited[1] == timezone.localtime(entries[0].recorded_at).strftime("%d/%m/%Y %H:%M:%S")


def test_the_platforms_entries_read_as_the_platform(vault, deposit):
    vault.quota_bytes = 1
    vault.save()
    deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    rows = list(csv.reader(io.StringIO("".join(vault_journal_csv(vault))), delimiter=";"))
    assert rows[-1][2:4] == ["la plateforme", "Quota dépassé"]
