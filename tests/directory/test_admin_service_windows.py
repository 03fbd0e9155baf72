"""Operators' admin: an accepted nature's page edits its service windows."""

from datetime import time
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from securact.directory.models import AcceptedNature, ServiceWindow
from tests.factories import AcceptedNatureFactory

CERTIFICATE_MIDDLEWARE = "securact.ui.sign_in.ClientCertificateMiddleware"


@pytest.fixture
def operator(client: Client, admin_user: AbstractBaseUser, settings: LazySettings) -> Client:
    """A signed-in superuser, without the certificate sign-in (tested in pki)."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CERTIFICATE_MIDDLEWARE]
    client.force_login(admin_user)
    return client


def window_data(accepted: AcceptedNature, start: str, end: str) -> dict[str, Any]:
    return {
        "recipient": str(accepted.recipient_id),
        "nature": str(accepted.nature_id),
        "windows-TOTAL_FORMS": "1",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
        "windows-0-weekday": "0",
        "windows-0-start": start,
        "windows-0-end": end,
    }


def change_url(accepted: AcceptedNature) -> str:
    return f"/admin/directory/acceptednature/{accepted.pk}/change/"


@pytest.mark.django_db
def test_a_window_is_added_on_the_accepted_natures_page(operator: Client) -> None:
    accepted = AcceptedNatureFactory()
    response = operator.post(change_url(accepted), window_data(accepted, "08:00", "12:00"))
    assert response.status_code == 302
    assert accepted.recipient.service_windows_for(accepted.nature) == [
        ServiceWindow(weekday=0, start=time(8), end=time(12)).as_hour_window()
    ]


@pytest.mark.django_db
def test_a_window_ending_before_it_starts_is_a_french_field_error(operator: Client) -> None:
    accepted = AcceptedNatureFactory()
    response = operator.post(change_url(accepted), window_data(accepted, "12:00", "08:00"))
    assert response.status_code == 200
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in response.content.decode()
    assert not ServiceWindow.objects.exists()
