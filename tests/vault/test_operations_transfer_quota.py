"""Transfers of a copy (F7.2) and the quota (issue 11 item 8)."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

import pytest
from django.utils import timezone

from securact.evidence.journal import PLATFORM_ACTOR
from securact.vault.journaling import VaultAction, vault_entries
from securact.vault.models import StoredFile
from securact.vault.operations import (
    VaultRefusal,
    create_folder,
    delete_file,
    format_size,
    occupation,
    quota_warning,
    transfer_copy,
    transfer_targets,
)
from securact.vault.storage import open_blob
from tests.factories import BailiffFactory, RecipientFactory, make_siret
from tests.vault.ops_fixtures import (
    COLLEAGUE,
    OWNER,
    actions,
    bailiff_vault,
    bank_vault,
    colleague_vault,
    deposit,
    last_entry,
    practice,
    recipient_vault,
    vault,
    vault_dir,
)

pytestmark = pytest.mark.django_db


def test_a_bailiff_transfers_to_the_vaults_of_his_practice_only(vault, colleague_vault):
    elsewhere = bailiff_vault(BailiffFactory(), "c" * 64)
    assert list(transfer_targets(vault)) == [colleague_vault]
    assert list(transfer_targets(elsewhere)) == []


def test_a_recipient_transfers_to_the_vaults_of_its_company_by_siren(vault_dir):
    head_office = RecipientFactory(siret=make_siret(10000))
    branch = RecipientFactory(siret=make_siret(10001))
    other_company = RecipientFactory(siret=make_siret(20000))
    assert head_office.siret[:9] == branch.siret[:9] != other_company.siret[:9]
    head = recipient_vault(head_office, "1" * 64)
    branch_vault = recipient_vault(branch, None)  # not yet bound: may still receive
    recipient_vault(other_company, "2" * 64)
    assert list(transfer_targets(head)) == [branch_vault]


def test_a_copy_shares_the_content_and_keeps_kind_retention_and_timestamp(
    vault, colleague_vault, deposit
):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT, signification_id=4)
    StoredFile.objects.filter(pk=act.pk).update(deposit_timestamp=b"\x30\x03token")
    act.refresh_from_db()
    create_folder(colleague_vault, "/", "Reçus", actor=COLLEAGUE)
    copy = transfer_copy(act, colleague_vault, actor=OWNER, folder="/Reçus/")
    copy.refresh_from_db()
    assert copy.vault_id == colleague_vault.pk and copy.pk != act.pk
    assert (copy.folder, copy.name, copy.kind, copy.sha256, copy.size) == (
        "/Reçus/",
        "acte.pdf",
        "act",
        act.sha256,
        act.size,
    )
    assert copy.retain_until == act.retain_until
    assert bytes(copy.deposit_timestamp) == b"\x30\x03token"
    assert copy.signification_id == 4 and copy.depositor == OWNER
    with open_blob(copy.sha256) as handle:
        assert handle.read() == b"act"
    received, sent = last_entry(colleague_vault), last_entry(vault)
    assert (received.action, received.actor) == (VaultAction.TRANSFERRED, OWNER)
    assert received.data["direction"] == "received" and received.data["from_file"] == act.pk
    assert received.data["file"] == copy.pk
    assert (sent.action, sent.data["direction"], sent.data["to_file"]) == (
        VaultAction.TRANSFERRED,
        "sent",
        copy.pk,
    )
    assert sent.data["file"] == act.pk


def test_transfers_are_refused_outside_the_practice_on_a_taken_name_or_beyond_quota(
    vault, colleague_vault, deposit
):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    stranger = bailiff_vault(BailiffFactory(), "c" * 64)
    with pytest.raises(VaultRefusal) as refused:
        transfer_copy(act, stranger, actor=OWNER)
    assert refused.value.message == (
        "Ce coffre-fort n'appartient pas à votre étude ou à votre organisme : le fichier ne "
        "peut pas y être transféré."
    )
    deposit(colleague_vault, "acte.pdf", b"other")
    with pytest.raises(VaultRefusal) as refused:
        transfer_copy(act, colleague_vault, actor=OWNER)
    assert refused.value.message == (
        "Le coffre-fort destinataire contient déjà un fichier « acte.pdf » dans le dossier « / »."
    )
    colleague_vault.quota_bytes = 6
    colleague_vault.save()
    create_folder(colleague_vault, "/", "x", actor=COLLEAGUE)
    with pytest.raises(VaultRefusal) as refused:
        transfer_copy(act, colleague_vault, actor=OWNER, folder="/x/")
    assert "Le quota du coffre-fort destinataire serait dépassé" in refused.value.message
    assert StoredFile.objects.filter(vault=colleague_vault).count() == 1


def test_occupation_counts_the_vaults_files_against_its_quota(vault, deposit, settings):
    settings.SECURACT_VAULT_QUOTA_BYTES = 1000
    deposit(vault, "a.pdf", b"x" * 300)
    deposit(vault, "b.pdf", b"y" * 200, folder="/d/")
    current = occupation(vault)
    assert (current.used_bytes, current.quota_bytes, current.files) == (500, 1000, 2)
    assert (current.percent, current.over, current.free_bytes) == (50, False, 500)
    vault.quota_bytes = 400
    assert occupation(vault).percent == 125 and occupation(vault).bar_percent == 100
    assert occupation(vault).over
    assert quota_warning(vault) is not None


def test_service_deposits_pass_the_quota_and_warn_once_per_crossing(vault, deposit):
    vault.quota_bytes = 100
    vault.save()
    deposit(vault, "1.pdf", b"x" * 60, kind=StoredFile.Kind.ACT)
    assert quota_warning(vault) is None
    crossing = deposit(vault, "2.pdf", b"y" * 60, kind=StoredFile.Kind.DEPOSIT_CERTIFICATE)
    deposit(vault, "3.pdf", b"z" * 60, kind=StoredFile.Kind.ARCHIVE)  # never refused
    assert StoredFile.objects.filter(vault=vault).count() == 3
    assert actions(vault).count(VaultAction.QUOTA_EXCEEDED) == 1
    entry = vault_entries(vault).get(action=VaultAction.QUOTA_EXCEEDED)
    assert entry.actor == PLATFORM_ACTOR
    assert (entry.data["file"], entry.data["used_bytes"], entry.data["quota_bytes"]) == (
        crossing.pk,
        120,
        100,
    )
    assert quota_warning(vault) == (
        "Votre coffre-fort dépasse son quota : 180 octets occupés pour 100 octets autorisés "
        "(180 %). Les dépôts du service de signification (actes, attestations, retours) "
        "continuent d'y être faits, mais vous ne pouvez plus y ajouter de fichiers : supprimez "
        "vos propres fichiers devenus inutiles ou demandez à l'administrateur d'augmenter le "
        "quota."
    )
    # Back under the quota, then over again: a second crossing, a second warning.
    for stored in StoredFile.objects.filter(vault=vault).exclude(name="1.pdf"):
        StoredFile.objects.filter(pk=stored.pk).update(retain_until=timezone.now())
        stored.refresh_from_db()
        delete_file(stored, actor=OWNER, reason="Test")
    assert quota_warning(vault) is None
    deposit(vault, "4.pdf", b"w" * 60, kind=StoredFile.Kind.ACT)
    assert actions(vault).count(VaultAction.QUOTA_EXCEEDED) == 2


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 octets"), (1023, "1023 octets"), (27842, "27,19 Ko"), (5 * 1024**3, "5,00 Go")],
)
def test_sizes_read_as_in_the_manual(size, text):
    assert format_size(size) == text
