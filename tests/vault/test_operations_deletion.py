"""Deleting vault files (F7.4 *détruire*): evidence kept until its retention end and under
legal hold, files of a signification kept, every refusal journaled; a deletion leaves a
tombstone and its journal entry; content shared by another file stays."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from securact.directory.models import ActNature
from securact.evidence.journal import PLATFORM_ACTOR
from securact.pki.models import OperatorCertificate
from securact.significations.models import Act, Signification
from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile, Tombstone
from securact.vault.operations import (
    DeletionRefused,
    VaultRefusal,
    delete_file,
    set_legal_hold,
    transfer_copy,
)
from securact.vault.storage import blob_name
from tests.factories import RecipientFactory
from tests.vault.ops_fixtures import (
    OWNER,
    SERVICE,
    actions,
    colleague_vault,
    deposit,
    last_entry,
    practice,
    vault,
    vault_dir,
)

pytestmark = pytest.mark.django_db

OPERATOR = "0" * 64


@pytest.fixture
def operator(db) -> str:
    user = get_user_model().objects.create_user("operateur", is_staff=True)
    OperatorCertificate.objects.create(
        user=user,
        fingerprint=OPERATOR,
        holder="Opérateur",
        issuer="AC",
        not_after=timezone.now() + timedelta(days=365),
    )
    return OPERATOR


def _blob(vault_dir: Path, stored: StoredFile) -> Path:
    return vault_dir / blob_name(stored.sha256)


def _expire(stored: StoredFile) -> None:
    stored.retain_until = timezone.now() - timedelta(days=1)
    stored.save(update_fields=["retain_until"])


def test_evidence_before_its_retention_end_is_refused_and_the_refusal_journaled(
    vault, deposit, vault_dir
):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    assert act.retain_until is not None
    end = timezone.localtime(act.retain_until).strftime("%d/%m/%Y")
    with pytest.raises(DeletionRefused) as refused:
        delete_file(act, actor=OWNER, reason="Plus utile")
    message = (
        f"« acte.pdf » est une pièce probante conservée jusqu'au {end} : "
        "elle ne peut pas être supprimée avant cette date."
    )
    assert refused.value.message == message
    assert isinstance(refused.value, VaultRefusal)
    assert StoredFile.objects.filter(pk=act.pk).exists()
    assert _blob(vault_dir, act).exists()
    assert not Tombstone.objects.exists()
    entry = last_entry(vault)
    assert (entry.action, entry.actor) == (VaultAction.DELETION_REFUSED, OWNER)
    assert entry.data["refusal"] == message and entry.data["reason"] == "Plus utile"
    assert entry.data["sha256"] == act.sha256


def test_a_legal_hold_forbids_deletion_even_after_the_retention_end(vault, deposit, operator):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    _expire(act)
    set_legal_hold(act, on=True, reason="Contentieux TJ Paris 26/01234", actor=operator)
    entry = last_entry(vault)
    assert (entry.action, entry.actor) == (VaultAction.HOLD_SET, OPERATOR)
    assert entry.data["reason"] == "Contentieux TJ Paris 26/01234"
    with pytest.raises(DeletionRefused) as refused:
        delete_file(act, actor=OWNER, reason="Fin de conservation")
    assert refused.value.message == (
        "« acte.pdf » est sous gel juridique (Contentieux TJ Paris 26/01234) : il ne peut pas "
        "être supprimé."
    )
    assert last_entry(vault).action == VaultAction.DELETION_REFUSED
    set_legal_hold(act, on=False, reason="Jugement définitif", actor=operator)
    assert last_entry(vault).action == VaultAction.HOLD_RELEASED
    act.refresh_from_db()
    assert (act.legal_hold, act.legal_hold_reason) == (False, "")
    delete_file(act, actor=OWNER, reason="Fin de conservation")
    assert not StoredFile.objects.filter(pk=act.pk).exists()


def test_only_operators_set_a_legal_hold_and_always_with_a_reason(vault, deposit, operator):
    act = deposit(vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT)
    with pytest.raises(VaultRefusal) as refused:
        set_legal_hold(act, on=True, reason="moi", actor=OWNER)
    assert refused.value.message == (
        "Seul un opérateur de la plateforme peut poser ou lever un gel juridique."
    )
    with pytest.raises(VaultRefusal) as refused:
        set_legal_hold(act, on=True, reason="  ", actor=operator)
    assert refused.value.message == "Indiquez le motif du gel juridique ou de sa levée."
    set_legal_hold(act, on=True, reason="Réquisition", actor=PLATFORM_ACTOR)
    count = len(actions(vault))
    set_legal_hold(act, on=True, reason="Réquisition", actor=operator)  # already so
    assert len(actions(vault)) == count


def test_evidence_past_its_end_leaves_a_tombstone_and_its_journal_entry(
    vault, deposit, vault_dir, django_capture_on_commit_callbacks
):
    act = deposit(
        vault, "acte.pdf", b"act", kind=StoredFile.Kind.ACT, folder="/dossier/", signification_id=9
    )
    _expire(act)
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = delete_file(act, actor=OWNER, reason="  Fin de la durée de conservation ")
    assert not StoredFile.objects.filter(pk=act.pk).exists()
    assert not _blob(vault_dir, act).exists()
    entry = last_entry(vault)
    assert (entry.action, entry.actor) == (VaultAction.DELETED, OWNER)
    assert entry.data["reason"] == "Fin de la durée de conservation"
    assert entry.data["sha256"] == act.sha256 and entry.data["file"] == act.pk
    tombstone.refresh_from_db()
    assert (
        tombstone.vault_id,
        tombstone.file_id,
        tombstone.folder,
        tombstone.name,
        tombstone.kind,
        tombstone.sha256,
        tombstone.size,
        tombstone.depositor,
        tombstone.deposited_at,
        tombstone.signification_id,
        tombstone.deleted_by,
        tombstone.reason,
        tombstone.journal_sequence,
        tombstone.deleted_at,
    ) == (
        vault.pk,
        act.pk,
        "/dossier/",
        "acte.pdf",
        "act",
        act.sha256,
        3,
        SERVICE,
        act.deposited_at,
        9,
        OWNER,
        "Fin de la durée de conservation",
        entry.sequence,
        entry.recorded_at,
    )


def test_an_own_file_is_deleted_and_a_reason_is_required(
    vault, deposit, vault_dir, django_capture_on_commit_callbacks
):
    mine = deposit(vault, "note.txt", b"note", depositor=OWNER)
    with pytest.raises(VaultRefusal) as refused:
        delete_file(mine, actor=OWNER, reason=" ")
    assert refused.value.message == "Indiquez le motif de la suppression."
    with django_capture_on_commit_callbacks(execute=True):
        delete_file(mine, actor=OWNER, reason="Doublon")
    assert not _blob(vault_dir, mine).exists()
    assert Tombstone.objects.get().name == "note.txt"
    with pytest.raises(VaultRefusal) as refused:
        delete_file(mine, actor=OWNER, reason="Doublon")
    assert refused.value.message == "Ce fichier a déjà été supprimé."


def test_content_shared_with_another_file_stays_until_the_last_one_goes(
    vault, colleague_vault, deposit, vault_dir, django_capture_on_commit_callbacks
):
    mine = deposit(vault, "note.txt", b"shared", depositor=OWNER)
    copy = transfer_copy(mine, colleague_vault, actor=OWNER)
    same_content = deposit(vault, "autre nom.txt", b"shared", depositor=OWNER)
    assert mine.sha256 == copy.sha256 == same_content.sha256
    with django_capture_on_commit_callbacks(execute=True):
        delete_file(mine, actor=OWNER, reason="Doublon")
    assert _blob(vault_dir, mine).exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_file(same_content, actor=OWNER, reason="Doublon")
    assert _blob(vault_dir, mine).exists()  # the colleague's copy still needs it
    with django_capture_on_commit_callbacks(execute=True):
        delete_file(copy, actor=OWNER, reason="Doublon")
    assert not _blob(vault_dir, mine).exists()


def test_a_file_of_a_signification_is_refused_cleanly_not_a_server_error(vault, deposit):
    stored = deposit(vault, "9991_REF.pdf", b"act", depositor=OWNER)  # even an "other" one
    signification = Signification.objects.create(
        practice=vault.bailiff.practice,
        bailiff=vault.bailiff,
        recipient=RecipientFactory(),
        nature=ActNature.objects.get(code="saisie-attribution"),
        reference="REF",
        actor_fingerprint=SERVICE,
        signing_certificate=b"",
        signing_token_label="t",
    )
    Act.objects.create(
        signification=signification,
        position=1,
        original_name="acte.pdf",
        kind="pdf",
        upload_path="x",
        size=3,
        stored_file=stored,
    )
    with pytest.raises(DeletionRefused) as refused:
        delete_file(stored, actor=OWNER, reason="Ménage")
    assert refused.value.message == (
        "« 9991_REF.pdf » est une pièce d'une signification (acte, attestation, message de "
        "données ou retour d'acte) : elle ne peut pas être supprimée."
    )
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert not Tombstone.objects.exists()
    assert actions(vault)[-1] == VaultAction.DELETION_REFUSED
    assert VaultAction.DELETED not in actions(vault)
