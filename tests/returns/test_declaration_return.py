"""A garnishee's declaration of two accounts becomes ``{deposited name}_SAISIE_ATTRIBUTION.pdf``
in the bailiff's vault: PDF/A-2b, structurally sound (qpdf), sealed by the platform with a
PAdES signature that validates offline (pyHanko AdES), stating both accounts, their balances
and the totals in French; journaled once and announced in the dashboard's category 4."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import category_page, unviewed_counts
from securact.evidence.journal import entries_for
from securact.returns.models import ActReturn, DeclaredAccount
from securact.returns.services import submit_return
from securact.significations.models import Signification
from securact.signing import services as signing
from securact.vault.models import StoredFile, Vault
from securact.workflow.steps_after_deposit import archive_folder
from tests.returns.conftest import (
    ANSWERED,
    RECIPIENT_ACTOR,
    TWO_ACCOUNTS,
    Served,
    fetch,
    pdf_text,
)


@dataclass
class Answered:
    signification: Signification
    act_return: ActReturn
    pdf: Path


@pytest.fixture
def answered(served: Served, sealing: None, tmp_path: Path) -> Answered:
    signification = served.make()
    act_return = submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=ANSWERED,
    )
    signification.refresh_from_db()
    return Answered(signification, act_return, fetch(act_return.stored_file, tmp_path))


def test_named_after_the_act_in_the_bailiffs_vault(answered: Answered) -> None:
    signification, stored = answered.signification, answered.act_return.stored_file
    first = signification.acts.get(position=1).deposited_name
    assert stored.name == first.removesuffix(".pdf") + "_SAISIE_ATTRIBUTION.pdf"
    assert stored.kind == StoredFile.Kind.ACT_RETURN
    assert stored.vault == Vault.objects.get(bailiff=signification.bailiff)
    assert stored.signification_id == signification.pk
    assert stored.depositor == RECIPIENT_ACTOR
    assert stored.deposited_at == ANSWERED
    assert signification.archived_at is not None
    assert stored.folder == archive_folder(signification, signification.archived_at)


def test_pdfa_2b_and_structurally_sound(answered: Answered) -> None:
    with pikepdf.open(answered.pdf) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert str(pdf.docinfo["/Producer"]) == str(pdf.open_metadata()["pdf:Producer"])
    done = subprocess.run(
        ["qpdf", "--check", str(answered.pdf)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_seal_validates_offline(answered: Answered, pki_down: None) -> None:
    # pki_down: only the trust anchors and what the file carries.
    report = signing.validate_pades_offline(
        answered.pdf, signing.trust_roots(), signing.intermediate_certificates()
    )
    assert report.ok, report
    assert (report.indication, report.subindication) == ("PASSED", "OK")
    assert "SECURACT" in report.signer.upper()
    assert report.signature_timestamp is not None


def test_states_both_accounts_balances_and_totals(answered: Answered) -> None:
    text = pdf_text(answered.pdf)
    signification = answered.signification
    assert "Déclaration du tiers saisi" in text
    assert signification.recipient.name in text
    assert signification.reference in text
    assert signification.bailiff.full_name in text
    # Both accounts, numbers as stored (no spaces), balances in French.
    assert "FR7630006000011234567890189" in text
    assert "LIV-000987654" in text
    assert "1 234,56 €" in text
    assert "20 500,00 €" in text
    assert "Compte courant" in text and "Livret d'épargne" in text
    assert "Total des soldes créditeurs 21 734,56 €" in text
    assert "Solde global 21 734,56 € créditeur" in text
    assert "635,71 € laissés à la disposition du débiteur" in text
    assert "Saisie-attribution du 2 février 2026" in text
    # Served Tuesday 10 March 2026: the answer is due on Wednesday 11 (R.211-4).
    assert "mercredi 11 mars 2026" in text
    assert "10/03/2026 à 16:00:00 (heure de Paris)" in text  # deposited at 15:00 UTC


def test_declaration_rows_recorded(answered: Answered) -> None:
    declaration = answered.act_return.declaration
    assert declaration.debtor_is_individual
    assert str(declaration.protected_balance) == "635.71"
    accounts = list(DeclaredAccount.objects.filter(declaration=declaration))
    assert [(a.position, a.number, str(a.balance)) for a in accounts] == [
        (1, "FR7630006000011234567890189", "1234.56"),
        (2, "LIV-000987654", "20500.00"),
    ]
    assert answered.act_return.on_time
    assert answered.act_return.author_fingerprint == RECIPIENT_ACTOR


def test_journaled_once_as_the_recipients_answer(answered: Answered) -> None:
    entries = entries_for(answered.signification.pk)
    received = entries.filter(action="act_return.received").get()
    stored = answered.act_return.stored_file
    assert received.actor == RECIPIENT_ACTOR
    assert received.data["file"] == stored.name
    assert received.data["declaration"]["accounts"] == 2
    assert received.data["message"].startswith("Réponse reçue du destinataire")
    # Sealed at once (the authority answers): the deposit, by the platform's step.
    deposited = entries.filter(action="act_return.deposited").get()
    assert deposited.data["file"] == stored.name
    assert deposited.data["sha256"] == stored.sha256
    assert deposited.data["answered_at"] == stored.deposited_at.isoformat()


def test_announced_in_dashboard_category_4(answered: Answered) -> None:
    signification = answered.signification
    notice = DashboardNotice.objects.get(signification=signification, category=Category.ACT_RETURN)
    assert notice.viewed_at is None
    assert unviewed_counts(signification.bailiff)[Category.ACT_RETURN] == 1
    page = category_page(signification.bailiff, Category.ACT_RETURN)
    assert [row.reference for row in page.rows] == [signification.reference]
