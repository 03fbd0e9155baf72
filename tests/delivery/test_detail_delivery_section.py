"""Section 3 of the detail (F6.3) once the delivery is decided: the delivery date, the
opening time, the sealed certificate downloaded through the owner-only download view (and
not by a colleague), and for *à domicile* the letter's day and link; the dashboard's
*à domicile* row links the letter too."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from securact.dashboard.services import notify
from securact.delivery.certificate import create_certificate
from securact.delivery.services import decide_at_deadline, record_opening
from securact.significations.models import Step
from securact.vault.models import StoredFile, Vault
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits
from tests.factories import BailiffFactory


def _section(page: str, number: str) -> str:
    start = page.index(f'id="section-{number}"')
    return page[start : page.index("</section>", start)]


def test_in_person_shows_times_and_the_downloadable_certificate(
    deposits: Deposits, signed_in_bailiff, service_dirs
) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff, stored=True)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT + timedelta(hours=2))
    stored = create_certificate(signification.pk, now=SENT + timedelta(hours=2, seconds=3))
    assert stored is not None

    three = _section(client.get(f"/significations/{signification.pk}/").content.decode(), "3")

    assert "10/03/2026 12:30:00" in three  # delivered = opened, in Paris time
    assert "Ouverture par le destinataire" in three
    assert f"<strong>{stored.name}</strong>" in three
    assert "Remis à personne" in three or "remis à personne" in three
    link = f"/significations/{signification.pk}/fichiers/{stored.pk}/"
    assert link in three
    assert "lettre-simple" not in three
    downloaded = client.get(link)
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
    body = b"".join(downloaded.streaming_content)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == stored.sha256


def test_colleague_sees_the_name_not_the_link(
    deposits: Deposits, signed_in_bailiff, service_dirs
) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    colleague = BailiffFactory(practice=bailiff.practice)
    Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF, bailiff=colleague, certificate_fingerprint="d" * 64
    )
    signification = deposits.make(SENT, bailiff=colleague, stored=True)
    decide_at_deadline(signification.pk, now=SENT + timedelta(days=1))
    # A certificate file in the colleague's vault (its content does not matter here).
    stored = StoredFile.objects.create(
        vault=Vault.objects.get(bailiff=colleague),
        name="x_REMISE.pdf",
        kind=StoredFile.Kind.DELIVERY_CERTIFICATE,
        sha256="0" * 64,
        size=1,
        depositor="platform",
        deposited_at=SENT,
        signification_id=signification.pk,
    )
    three = _section(client.get(f"/significations/{signification.pk}/").content.decode(), "3")
    assert "<strong>x_REMISE.pdf</strong>" in three
    assert f"/fichiers/{stored.pk}/" not in three
    assert "lettre-simple" not in three  # the letter is the author's to send
    assert (
        client.get(f"/significations/{signification.pk}/fichiers/{stored.pk}/").status_code == 404
    )


def test_at_home_shows_the_letter_day_and_link(deposits: Deposits, signed_in_bailiff) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff)
    decide_at_deadline(signification.pk, now=SENT + timedelta(hours=30))

    three = _section(client.get(f"/significations/{signification.pk}/").content.decode(), "3")

    assert "11/03/2026 10:30:00" in three  # delivered at the deadline
    assert "Ouverture par le destinataire" not in three
    assert "(en cours de création)" in three  # certificate not made yet
    assert "le mercredi 11 mars 2026" in three
    assert f"/significations/{signification.pk}/lettre-simple/" in three


def test_awaiting_shows_the_deadline(deposits: Deposits, signed_in_bailiff) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff)
    three = _section(client.get(f"/significations/{signification.pk}/").content.decode(), "3")
    assert "pas encore" in three
    assert "(échéance le 11/03/2026 10:30:00)" in three
    assert "(pas encore déposée)" in three


def test_dashboard_at_home_row_links_the_letter(deposits: Deposits, signed_in_bailiff) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    at_home = deposits.make(SENT, bailiff=bailiff)
    in_person = deposits.make(SENT, bailiff=bailiff)
    decide_at_deadline(at_home.pk, now=SENT + timedelta(days=1))
    notify(at_home, "at_home")
    notify(in_person, "in_person")

    rows = client.get("/?categorie=at_home").content.decode()
    assert f"/significations/{at_home.pk}/lettre-simple/" in rows
    others = client.get("/?categorie=in_person").content.decode()
    assert not re.search(r"/significations/\d+/lettre-simple/", others)


def test_certificate_waiting_for_the_authority_shows_why(
    deposits: Deposits, signed_in_bailiff, service_dirs
) -> None:
    client, bailiff = signed_in_bailiff("bailiff-durand")
    signification = deposits.make(SENT, bailiff=bailiff, stored=True)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT + timedelta(hours=2))
    Step.objects.filter(signification=signification, name=Step.Name.DELIVERY).update(
        error="Le service d'horodatage est injoignable."
    )

    three = _section(client.get(f"/significations/{signification.pk}/").content.decode(), "3")

    assert "(en cours de création)" in three
    assert "horodatage est injoignable" in three
