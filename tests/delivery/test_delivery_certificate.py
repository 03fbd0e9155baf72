"""The delivery certificate (*attestation de remise*, F6.3): ``{deposited name}_REMISE.pdf``
in the bailiff's vault, PDF/A-2b, stating the delivery in French, sealed by the platform with
a PAdES signature that validates offline (pyHanko AdES), and that qpdf and poppler accept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import notify_awaiting
from securact.delivery.certificate import create_certificate
from securact.delivery.services import decide_at_deadline, record_opening
from securact.evidence.journal import entries_for
from securact.significations.models import Signification
from securact.signing import services as signing
from securact.vault.models import StoredFile, Vault
from securact.vault.storage import open_blob
from securact.workflow.steps_after_deposit import archive_folder
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits, bailiff_with_vault

PYHANKO = Path(sys.executable).with_name("pyhanko")


@dataclass
class Certified:
    signification: Signification
    stored: StoredFile
    pdf: Path

    def text(self) -> str:
        done = subprocess.run(
            ["pdftotext", "-layout", str(self.pdf), "-"], capture_output=True, check=True
        )
        return done.stdout.decode()


def _certify(deposits: Deposits, tmp_path: Path, *, opened_after: timedelta | None) -> Certified:
    signification = deposits.make(SENT, bailiff=bailiff_with_vault(), files=2, stored=True)
    notify_awaiting(signification)
    if opened_after is None:
        decide_at_deadline(signification.pk, now=SENT + timedelta(hours=25))
    else:
        record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT + opened_after)
    stored = create_certificate(signification.pk, now=SENT + timedelta(hours=26))
    assert stored is not None
    pdf = tmp_path / stored.name
    with open_blob(stored.sha256) as blob, pdf.open("wb") as out:
        shutil.copyfileobj(blob, out)
    signification.refresh_from_db()
    return Certified(signification, stored, pdf)


@pytest.fixture
def in_person(deposits: Deposits, service_dirs, pki_server, tmp_path: Path) -> Certified:
    return _certify(deposits, tmp_path, opened_after=timedelta(hours=3, minutes=12, seconds=7))


@pytest.fixture
def at_home(deposits: Deposits, service_dirs, pki_server, tmp_path: Path) -> Certified:
    return _certify(deposits, tmp_path, opened_after=None)


def test_named_after_the_first_act_in_the_bailiffs_vault(in_person: Certified) -> None:
    signification, stored = in_person.signification, in_person.stored
    first = signification.acts.get(position=1).deposited_name
    assert stored.name == first.removesuffix(".pdf") + "_REMISE.pdf"
    assert stored.kind == StoredFile.Kind.DELIVERY_CERTIFICATE
    assert stored.vault == Vault.objects.get(bailiff=signification.bailiff)
    assert stored.signification_id == signification.pk
    assert signification.archived_at is not None
    assert stored.folder == archive_folder(signification, signification.archived_at)


def test_pdfa_2b_and_structurally_sound(in_person: Certified) -> None:
    with pikepdf.open(in_person.pdf) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert str(pdf.docinfo["/Producer"]) == str(pdf.open_metadata()["pdf:Producer"])
    done = subprocess.run(
        ["qpdf", "--check", str(in_person.pdf)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_seal_validates_offline_as_b_lta(in_person: Certified, pki_down) -> None:
    # pki_down: only the root and what the file carries.
    report = signing.validate_pades_offline(
        in_person.pdf, signing.trust_roots(), signing.intermediate_certificates()
    )
    assert report.ok, report
    assert (report.indication, report.subindication) == ("PASSED", "OK")
    assert "SECURACT" in report.signer.upper()
    assert report.signature_timestamp is not None
    assert report.document_timestamps == 1


def test_pdfsig_reports_the_seal_intact(in_person: Certified) -> None:
    out = subprocess.run(
        ["pdfsig", str(in_person.pdf)], capture_output=True, text=True, check=False
    ).stdout
    first = out.split("Signature #2")[0]
    assert "Signature Field Name: Signature1" in first
    assert "Signature Validation: Signature is Valid." in first


def test_pyhanko_command_line_judges_the_seal_valid(in_person: Certified, demo_layout) -> None:
    # With the PKI up: pyhanko-cli fetches revocation online (see tests/signing).
    done = subprocess.run(
        [
            str(PYHANKO),
            "sign",
            "adesverify",
            "--executive-summary",
            "--trust",
            str(demo_layout.trust / "roots.pem"),
            "--trust-replace",
            "--other-certs",
            str(demo_layout.trust / "intermediates.pem"),
            str(in_person.pdf),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(":VALID")


def test_in_person_states_acts_parties_times_and_legal_basis(in_person: Certified) -> None:
    text = " ".join(in_person.text().split())
    signification = in_person.signification
    assert "Attestation de remise" in text
    assert "Mode de remise Remise à personne" in text
    assert "article 662-1 du code de procédure civile" in text
    assert "article 663" in text
    assert signification.nature.label in text
    assert signification.bailiff.full_name in text
    assert signification.practice.code in text
    assert signification.recipient.name in text
    assert f"N° SIRET {signification.recipient.siret}" in text
    # Sent 09:30 UTC = 10:30 Paris; opened 3 h 12 min 7 s later.
    assert "10/03/2026 à 10:30:00 (heure de Paris)" in text
    assert "2026-03-10T09:30:00Z" in text
    assert "10/03/2026 à 13:42:07 (heure de Paris)" in text
    for act in signification.acts.select_related("stored_file"):
        assert act.deposited_name in text
        assert act.stored_file is not None
        assert act.stored_file.sha256 in text.replace(" ", "")


def test_at_home_states_the_deadline_and_the_ordinary_letter(at_home: Certified) -> None:
    text = " ".join(at_home.text().split())
    assert "Mode de remise Remise à domicile" in text
    assert "n'a pas ouvert l'acte avant l'échéance du 11/03/2026 à 10:30:00" in text
    assert "non ouvert avant l'échéance" in text
    # Sent on Tuesday 10 March 2026: the letter goes on Wednesday 11 March.
    assert "Lettre simple à envoyer le mercredi 11 mars 2026" in text


def test_bailiff_notified_in_the_right_category(in_person: Certified, at_home: Certified) -> None:
    for certified, category in ((in_person, Category.IN_PERSON), (at_home, Category.AT_HOME)):
        notices = DashboardNotice.objects.filter(signification=certified.signification)
        delivered = notices.get(category=category)
        assert delivered.viewed_at is None
        assert notices.get(category=Category.AWAITING).resolved_at is not None
    letter = DashboardNotice.objects.get(
        signification=at_home.signification, category=Category.AT_HOME
    )
    assert "lettre simple" in letter.event


def test_journaled_once(in_person: Certified) -> None:
    created = entries_for(in_person.signification.pk).filter(action="delivery_certificate.created")
    assert created.count() == 1
    entry = created.get()
    assert entry.data["file"] == in_person.stored.name
    assert entry.data["sha256"] == in_person.stored.sha256
    assert entry.actor == "platform"
