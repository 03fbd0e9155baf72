"""Act return fixtures: significations as the service process leaves them after the deposit
(rows, deposited names, a bailiff with a vault), made directly in the database; the
recipient's PDFs drawn with reportlab; helpers to read a sealed return back."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.returns.declaration import AccountLine, Declaration
from securact.significations.models import Act, DeliveryState, Signification
from securact.significations.naming import deposited_name
from securact.vault.models import StoredFile
from securact.vault.storage import open_blob
from tests.delivery.conftest import bailiff_with_vault
from tests.factories import RecipientFactory

# The recipient's certificate fingerprint (the journal's actor).
RECIPIENT_ACTOR = "c" * 64
BAILIFF_ACTOR = "d" * 64
SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # Tuesday 10 March 2026, 10:30 in Paris
ANSWERED = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # the same afternoon

TWO_ACCOUNTS = Declaration(
    debtor_is_individual=True,
    accounts=(
        AccountLine(
            "courant", "FR76 3000 6000 0112 3456 7890 189", Decimal("1234.56"), "crediteur"
        ),
        AccountLine("livret", "LIV-000987654", Decimal("20500.00"), "crediteur"),
    ),
    protected_balance=Decimal("635.71"),
    prior_encumbrances="Saisie-attribution du 2 février 2026, étude 7777, 1 500,00 €",
)


@dataclass
class Served:
    """``served.make(...)``: a signification deposited at ``sent_at`` to ``recipient``."""

    count: int = 0

    def make(
        self,
        *,
        nature: str = "saisie-attribution",
        sent_at: datetime | None = SENT,
        bailiff: Bailiff | None = None,
        recipient: Recipient | None = None,
        files: int = 1,
    ) -> Signification:
        self.count += 1
        bailiff = bailiff or bailiff_with_vault()
        reference = f"RET-{self.count:04d}"
        signification = Signification.objects.create(
            practice=bailiff.practice,
            bailiff=bailiff,
            recipient=recipient or RecipientFactory(),
            nature=ActNature.objects.get(code=nature),
            reference=reference,
            actor_fingerprint=BAILIFF_ACTOR,
            signing_certificate=b"",
            signing_token_label="t",
            state=Signification.State.DONE if sent_at else Signification.State.IN_PROGRESS,
            sent_at=sent_at,
            delivery_state=DeliveryState.AWAITING if sent_at else "",
        )
        for position in range(1, files + 1):
            Act.objects.create(
                signification=signification,
                position=position,
                original_name=f"acte-{position}.pdf",
                kind="pdf",
                upload_path="/nonexistent",
                size=1,
                deposited_name=(
                    deposited_name(bailiff.practice.code, reference, sent_at, position)
                    if sent_at
                    else ""
                ),
            )
        return signification


@pytest.fixture
def served(db: None) -> Served:
    return Served()


@pytest.fixture
def sealing(service_dirs: object, pki_server: object) -> None:
    """What a return needs to be sealed: work and vault folders, the TSA and OCSP/CRL."""


def recipient_pdf(path: Path, *, pages: int = 2, text: str = "Réponse de la banque") -> Path:
    """The recipient's own answer: a plain (not PDF/A) PDF of ``pages`` pages."""
    drawing = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, pages + 1):
        drawing.setFont("Helvetica", 14)
        drawing.drawString(72, 760, f"{text} - page {page}")
        drawing.showPage()
    drawing.save()
    return path


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    """``path`` as the portal's form hands it over (an uploaded file)."""
    return SimpleUploadedFile(name or path.name, path.read_bytes(), "application/pdf")


def fetch(stored: StoredFile, tmp_path: Path) -> Path:
    """The stored file's bytes, copied out of the blob store."""
    out = tmp_path / f"fetched-{stored.pk}-{stored.name}"
    with open_blob(stored.sha256) as blob, out.open("wb") as copy:
        shutil.copyfileobj(blob, copy)
    return out


def pdf_text(pdf: Path) -> str:
    """The text poppler reads, whitespace (including no-break spaces) made single spaces."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())
