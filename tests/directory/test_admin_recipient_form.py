"""Operators' admin: a malformed SIRET or phone is a French field error, never a 500."""

from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from securact.directory.models import AcceptedNature, ActNature, Recipient
from tests.factories import AcceptedNatureFactory

ADD_URL = "/admin/directory/recipient/add/"
CERTIFICATE_MIDDLEWARE = "securact.ui.sign_in.ClientCertificateMiddleware"


@pytest.fixture
def operator(client: Client, admin_user: AbstractBaseUser, settings: LazySettings) -> Client:
    """A signed-in superuser. The certificate sign-in (pki) is left out: it is tested there,
    and the test client presents no TLS certificate."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CERTIFICATE_MIDDLEWARE]
    client.force_login(admin_user)
    return client


def recipient_data(**changes: str) -> dict[str, Any]:
    data = {
        "name": "Banque Test",
        "siret": "732 829 320 00074",
        "insee": "",
        "email": "significations@banque-test.example",
        "landline": "01 42 34 56 78",
        "mobile": "06 12 34 56 78",
        "department": "75",
        "address": "",
        "accepted_natures-TOTAL_FORMS": "0",
        "accepted_natures-INITIAL_FORMS": "0",
        "accepted_natures-MIN_NUM_FORMS": "0",
        "accepted_natures-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def field_errors(response: Any, field: str) -> list[str]:
    return list(response.context["adminform"].form.errors.get(field, []))


@pytest.mark.django_db
def test_a_malformed_siret_is_shown_as_a_french_field_error(operator: Client) -> None:
    response = operator.post(ADD_URL, recipient_data(siret="732 829 320 00079"))
    assert response.status_code == 200
    assert field_errors(response, "siret") == [
        "Numéro SIRET invalide : la clé de contrôle est fausse."
    ]
    assert "Numéro SIRET invalide : la clé de contrôle est fausse." in response.content.decode()
    assert not Recipient.objects.exists()


@pytest.mark.django_db
def test_a_malformed_mobile_is_shown_as_a_french_field_error(operator: Client) -> None:
    response = operator.post(ADD_URL, recipient_data(mobile="06 12 34"))
    assert response.status_code == 200
    assert field_errors(response, "mobile") == ["Numéro de mobile invalide."]
    assert "Numéro de mobile invalide." in response.content.decode()


@pytest.mark.django_db
def test_a_mobile_in_the_landline_field_is_a_field_error(operator: Client) -> None:
    response = operator.post(ADD_URL, recipient_data(landline="06 12 34 56 78"))
    assert response.status_code == 200
    assert field_errors(response, "landline") == ["Ce numéro n'est pas celui d'une ligne fixe."]


@pytest.mark.django_db
def test_a_valid_recipient_is_saved_normalized_with_its_accepted_nature(
    operator: Client,
) -> None:
    nature = ActNature.objects.get(code="saisie-attribution")
    data = recipient_data(
        **{
            "accepted_natures-TOTAL_FORMS": "1",
            "accepted_natures-0-nature": str(nature.pk),
        }
    )
    response = operator.post(ADD_URL, data)
    assert response.status_code == 302
    recipient = Recipient.objects.get()
    assert (recipient.siret, recipient.landline, recipient.mobile) == (
        "73282932000074",
        "+33142345678",
        "+33612345678",
    )
    assert AcceptedNature.objects.get().nature == nature


@pytest.mark.django_db
def test_admin_pages_of_the_directory_open(operator: Client) -> None:
    accepted = AcceptedNatureFactory()
    for url in (
        "/admin/directory/recipient/",
        "/admin/directory/recipient/?q=banque",
        f"/admin/directory/recipient/{accepted.recipient_id}/change/",
        f"/admin/directory/acceptednature/{accepted.pk}/change/",
        "/admin/directory/actnature/",
        "/admin/directory/practice/",
        "/admin/directory/bailiff/",
        "/admin/directory/servicewindow/",
    ):
        assert operator.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_too_long_admin_search_is_a_message_not_an_error(operator: Client) -> None:
    response = operator.get("/admin/directory/recipient/", {"q": "a" * 201}, follow=True)
    assert response.status_code == 200
    assert "La recherche ne peut dépasser 200 caractères." in response.content.decode()
