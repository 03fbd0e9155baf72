"""F3 in-process: the service form's pieces (recipient search and panel, natures limited to
the recipient's, the hours message, files added and removed one by one with their errors,
the PIN checked first) and what a refusal leaves behind: nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from securact.directory.models import ActNature, Recipient
from securact.significations.models import Signification

pytestmark = pytest.mark.django_db


@pytest.fixture
def bailiff(signed_in, settings, tmp_path):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    return signed_in("bailiff-durand")


def _pdf() -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _add(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/signifier/actes/", {"file": SimpleUploadedFile(name, content)}, secure=True
    )


def test_the_form_offers_the_bailiffs_signing_certificate_from_his_token(bailiff):
    page = bailiff.get("/signifier/", secure=True).content.decode()
    assert "Formulaire de signification" in page
    assert "Claire DURAND — AC Securact Démo Signature Qualifiée" in page
    assert "Recharger les certificats" in page


def test_recipient_search_and_panel_offer_only_accepted_natures(bailiff):
    results = bailiff.get("/signifier/destinataires/?q=banque", secure=True).content.decode()
    assert "BANQUE TEST" in results
    bank = Recipient.objects.get(name="BANQUE TEST")
    panel = bailiff.get(f"/signifier/destinataire/?recipient={bank.pk}", secure=True)
    text = panel.content.decode()
    assert "99999001300016" in text and "significations@banque-test.example" in text
    assert "Saisie-vente" in text
    assert "Signification de jugement" not in text  # BANQUE TEST does not accept it


def test_choosing_a_nature_outside_its_hours_shows_the_manuals_message(bailiff, monkeypatch):
    monday_afternoon = datetime(2026, 11, 23, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: monday_afternoon)
    bank = Recipient.objects.get(name="BANQUE TEST")
    nature = ActNature.objects.get(code="saisie-vente")
    answer = bailiff.get(
        f"/signifier/horaires/?recipient={bank.pk}&nature={nature.pk}", secure=True
    ).content.decode()
    assert (
        "Vous ne pouvez actuellement transmettre de signification, aujourd&#x27;hui le "
        "destinataire ne reçoit que ce type d&#x27;acte selon les horaires suivants : de "
        "08h00 à 12h00."
    ) in answer


def test_files_are_added_checked_and_removed_one_by_one(bailiff):
    added = _add(bailiff, "acte.pdf", _pdf())
    assert added.status_code == 200
    assert "acte.pdf" in added.content.decode()
    refused = _add(bailiff, "photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "photo.pdf" in body and "acte.pdf" in body  # the error next to the kept list
    file_id = bailiff.session["securact_draft"]["files"][0]["id"]
    removed = bailiff.post(f"/signifier/actes/{file_id}/retirer/", secure=True)
    assert "Aucun acte ajouté." in removed.content.decode()


def test_a_wrong_pin_is_said_next_to_the_pin_and_nothing_is_served(bailiff):
    _add(bailiff, "acte.pdf", _pdf())
    page = bailiff.get("/signifier/", secure=True).content.decode()
    key = page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    bank = Recipient.objects.get(name="BANQUE TEST")
    nature = ActNature.objects.get(code="mainlevee")
    answer = bailiff.post(
        "/signifier/",
        {
            "reference": "REF-PIN",
            "recipient": bank.pk,
            "nature": nature.pk,
            "certificate": key,
            "pin": "000000",
        },
        secure=True,
    )
    assert answer.status_code == 400
    assert "Code PIN incorrect" in answer.content.decode()
    assert Signification.objects.count() == 0
    assert len(bailiff.session["securact_draft"]["files"]) == 1  # the acts are kept


def test_a_nature_the_recipient_does_not_accept_is_refused(bailiff):
    bank = Recipient.objects.get(name="BANQUE TEST")
    foreign = ActNature.objects.get(code="signification-jugement")
    answer = bailiff.post(
        "/signifier/",
        {
            "reference": "R",
            "recipient": bank.pk,
            "nature": foreign.pk,
            "certificate": "x",
            "pin": "1",
        },
        secure=True,
    )
    assert answer.status_code == 400
    assert "Ce destinataire n&#x27;accepte pas cette nature d&#x27;acte." in answer.content.decode()


def test_another_practices_progress_page_is_not_found(bailiff):
    assert bailiff.get("/significations/999999/progression/", secure=True).status_code == 404
