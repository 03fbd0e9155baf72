"""A return may be the recipient's own PDF (checked like an act, converted to PDF/A-2b,
sealed), or that PDF after the structured declaration, both in one sealed file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from securact.returns.errors import ReturnRefused
from securact.returns.models import ActReturn, GarnishmentDeclaration
from securact.returns.services import submit_return
from securact.signing import services as signing
from securact.vault.storage import file_sha256
from tests.returns.conftest import (
    ANSWERED,
    RECIPIENT_ACTOR,
    TWO_ACCOUNTS,
    Served,
    fetch,
    pdf_text,
    recipient_pdf,
    upload,
)


def test_pdf_only_is_converted_and_sealed(served: Served, sealing: None, tmp_path: Path) -> None:
    signification = served.make()
    answer = recipient_pdf(tmp_path / "reponse.pdf", pages=3)

    act_return = submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        pdf=upload(answer),
        at=ANSWERED,
    )

    sealed = fetch(act_return.stored_file, tmp_path)
    with pikepdf.open(sealed) as pdf:
        assert len(pdf.pages) == 3
        assert pdf.open_metadata().pdfa_status == "2B"
    report = signing.validate_pades_offline(
        sealed, signing.trust_roots(), signing.intermediate_certificates()
    )
    assert report.ok, report
    text = pdf_text(sealed)
    assert "Réponse de la banque - page 3" in text
    assert "Déclaration du tiers saisi" not in text  # its own PDF, as it sent it
    assert act_return.uploaded_name == "reponse.pdf"
    assert act_return.uploaded_sha256 == file_sha256(answer)
    assert not GarnishmentDeclaration.objects.filter(act_return=act_return).exists()


def test_declaration_then_the_recipients_pages(
    served: Served, sealing: None, tmp_path: Path
) -> None:
    signification = served.make()
    answer = recipient_pdf(tmp_path / "annexe.pdf", pages=2, text="Annexe de la banque")

    act_return = submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        pdf=upload(answer),
        declaration=TWO_ACCOUNTS,
        at=ANSWERED,
    )

    sealed = fetch(act_return.stored_file, tmp_path)
    with pikepdf.open(sealed) as pdf:
        pages = len(pdf.pages)
        assert pdf.open_metadata().pdfa_status == "2B"
    assert pages >= 3  # the declaration (one page or more), then the two pages
    text = pdf_text(sealed)
    assert text.index("Déclaration du tiers saisi") < text.index("Annexe de la banque - page 1")
    assert "Annexe de la banque - page 2" in text
    assert "« annexe.pdf » (2 page(s)), reproduit à la suite" in text
    assert "LIV-000987654" in text
    assert signing.validate_pades_offline(
        sealed, signing.trust_roots(), signing.intermediate_certificates()
    ).ok
    assert act_return.declaration.accounts.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("reponse.docx", b"PK\x03\x04 not really", "se dépose au format PDF"),
        ("reponse.pdf", b"Bonjour, voici notre reponse.", "reponse.pdf"),
        ("reponse.pdf", b"", "est vide"),
    ],
)
def test_not_an_acceptable_pdf_is_refused_in_french(
    served: Served, service_dirs: Any, name: str, content: bytes, expected: str
) -> None:
    signification = served.make()
    with pytest.raises(ReturnRefused) as refused:
        submit_return(
            signification.pk,
            recipient=signification.recipient,
            actor=RECIPIENT_ACTOR,
            pdf=SimpleUploadedFile(name, content),
            at=ANSWERED,
        )
    assert expected in refused.value.message
    assert not ActReturn.objects.filter(signification=signification).exists()
    # Nothing left behind: the upload lived in a scratch folder removed on the way out, and
    # nothing went into the shared work store.
    assert list((service_dirs.work / ".scratch").iterdir()) == []
    assert not (service_dirs.work / str(signification.pk)).exists()


def test_nothing_to_deposit_is_refused(served: Served, service_dirs: object) -> None:
    signification = served.make()
    with pytest.raises(ReturnRefused) as refused:
        submit_return(
            signification.pk,
            recipient=signification.recipient,
            actor=RECIPIENT_ACTOR,
            at=ANSWERED,
        )
    assert "Joignez votre réponse au format PDF" in refused.value.message
