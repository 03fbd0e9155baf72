"""F3 + F8.3 in-process: the service form shows « Données de l'acte » when the chosen nature
needs a data message (the htmx section, what was typed kept), judges them with the rest of
the form, and says each error in French next to its field, keeping what was typed."""

from __future__ import annotations

import pytest

from securact.directory.models import ActNature, Recipient
from securact.significations.models import Signification
from tests.datamessage.samples import person_elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def bailiff(signed_in, settings, tmp_path):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    settings.SECURACT_ENFORCE_LEGAL_HOURS = settings.SECURACT_ENFORCE_SUNDAYS = False
    settings.SECURACT_ENFORCE_HOLIDAYS = False
    return signed_in("bailiff-durand")


def _nature(code: str) -> int:
    return ActNature.objects.get(code=code).pk


def test_the_section_appears_for_a_garnishment_only(bailiff) -> None:
    garnishment = bailiff.get(
        "/signifier/donnees/", {"nature": _nature("saisie-attribution")}, secure=True
    ).content.decode()
    release = bailiff.get(
        "/signifier/donnees/", {"nature": _nature("mainlevee")}, secure=True
    ).content.decode()

    assert "Données de l'acte" in garnishment
    assert 'name="donnees-debtor_surname"' in garnishment
    assert "Jugement ou arrêt" in garnishment
    assert "field-error" not in garnishment  # nothing judged before submission
    assert release.strip() == ""


def test_what_was_typed_is_kept_when_the_nature_changes(bailiff) -> None:
    page = bailiff.get(
        "/signifier/donnees/",
        {
            "nature": _nature("saisie-conservatoire-creances"),
            "donnees-debtor_surname": "MARTIN",
            "donnees-principal": "1234.56",
        },
        secure=True,
    ).content.decode()

    assert 'value="MARTIN"' in page
    assert 'value="1234.56"' in page


def test_the_serve_page_listens_to_the_nature(bailiff) -> None:
    page = bailiff.get("/signifier/", secure=True).content.decode()

    assert 'id="act-elements"' in page
    assert "/signifier/donnees/" in page


def _certificate_key(client) -> str:
    page = client.get("/signifier/", secure=True).content.decode()
    return page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]


def test_wrong_elements_are_said_next_to_their_fields_and_kept(bailiff) -> None:
    typed = person_elements(debtor_birth_date="2999-01-01", debtor_siren="", costs="-5")
    answer = bailiff.post(
        "/signifier/",
        {
            "reference": "REF-DONNEES",
            "recipient": Recipient.objects.get(name="BANQUE TEST").pk,
            "nature": _nature("saisie-attribution"),
            "certificate": _certificate_key(bailiff),
            "pin": "000000",
            **{f"donnees-{name}": value for name, value in typed.items()},
        },
        secure=True,
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert "Le montant ne peut pas être négatif." in page
    assert 'value="MARTIN"' in page and 'value="Lyon (69)"' in page
    assert "Code PIN incorrect" not in page  # the token is not asked before the form is right
    assert Signification.objects.count() == 0
