"""The ordinary letter of a delivery *à domicile* (art. 662-1 CPC): due on the first *jour
ouvrable* after the day of sending (holidays of the recipient's department), pre-filled as a
PDF for the bailiff who served the act, and for nobody else."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from securact.delivery.services import decide_at_deadline, letter_due_date, record_opening
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits
from tests.factories import BailiffFactory, RecipientFactory


@pytest.mark.parametrize(
    ("sent", "department", "due"),
    [
        (datetime(2026, 3, 10, 9, 30, tzinfo=UTC), "75", date(2026, 3, 11)),  # Tue → Wed
        (datetime(2026, 3, 13, 9, 30, tzinfo=UTC), "75", date(2026, 3, 14)),  # Fri → Sat
        (datetime(2026, 3, 14, 9, 30, tzinfo=UTC), "75", date(2026, 3, 16)),  # Sat → Mon
        (datetime(2026, 4, 30, 9, 30, tzinfo=UTC), "75", date(2026, 5, 2)),  # 1 May skipped
        (datetime(2026, 12, 24, 9, 30, tzinfo=UTC), "75", date(2026, 12, 26)),
        (datetime(2026, 12, 24, 9, 30, tzinfo=UTC), "57", date(2026, 12, 28)),  # 26 Dec in 57
        # 00:30 on Tuesday 10 March in Paris, still Monday in UTC: the Paris day counts.
        (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "75", date(2026, 3, 11)),
    ],
)
def test_letter_due_on_first_jour_ouvrable_after_sending(
    sent: datetime, department: str, due: date
) -> None:
    assert letter_due_date(sent, department) == due


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_author_downloads_the_prefilled_letter(deposits: Deposits, signed_in_bailiff) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff)
    decide_at_deadline(signification.pk, now=SENT + timedelta(hours=24))

    response = client.get(f"/significations/{signification.pk}/lettre-simple/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "LETTRE_SIMPLE.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    assert "Procès-verbal de saisie-attribution" in text
    assert signification.reference in text
    assert bailiff.full_name in text and bailiff.practice.code in text
    assert signification.recipient.name in text
    assert "1 rue de la Paix" in text  # the recipient's address from the directory
    assert "signifié par voie électronique le 10/03/2026 à 10:30" in text
    assert "article 662-1 du code de procédure civile" in text
    assert "le mercredi 11 mars 2026" in text
    assert "à la requête de : ....." in text  # the requesting party is filled in by hand


def test_placeholder_when_the_address_is_unknown(deposits: Deposits, signed_in_bailiff) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff, recipient=RecipientFactory(address=""))
    decide_at_deadline(signification.pk, now=SENT + timedelta(hours=24))
    text = _text(client.get(f"/significations/{signification.pk}/lettre-simple/").content)
    assert "[adresse du destinataire]" in text


def test_nobody_else_and_no_other_state_gets_a_letter(
    deposits: Deposits, signed_in_bailiff
) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    colleague = BailiffFactory(practice=bailiff.practice)
    someone_elses = deposits.make(SENT, bailiff=colleague)
    other_practice = deposits.make(SENT)
    in_person = deposits.make(SENT, bailiff=bailiff)
    awaiting = deposits.make(SENT, bailiff=bailiff)
    for signification in (someone_elses, other_practice):
        decide_at_deadline(signification.pk, now=SENT + timedelta(hours=24))
    record_opening(in_person.pk, actor=RECIPIENT_ACTOR, at=SENT + timedelta(hours=1))

    for signification in (someone_elses, other_practice, in_person, awaiting):
        response = client.get(f"/significations/{signification.pk}/lettre-simple/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
    assert client.get("/significations/999999/lettre-simple/").status_code == 404
