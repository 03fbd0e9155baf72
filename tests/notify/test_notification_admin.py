"""Operators see the alerts in the admin, read-only: the records are evidence."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from securact.notify.models import Notification

LIST_URL = "/admin/notify/notification/"
CERTIFICATE_MIDDLEWARE = "securact.ui.sign_in.ClientCertificateMiddleware"


@pytest.fixture
def operator(client: Client, settings: LazySettings) -> Client:
    """A signed-in superuser (the certificate sign-in is tested in pki). No password: none
    is used, and hashing one would cost a second per test."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CERTIFICATE_MIDDLEWARE]
    user = get_user_model().objects.create(
        username="operateur", is_staff=True, is_superuser=True, is_active=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def alerts() -> list[Notification]:
    return [
        Notification.objects.create(
            signification_id=31,
            channel="email",
            to="significations@banque-test.example",
            status="sent",
            attempts=1,
            sent_at=timezone.now(),
            provider_id="<id@securact.example>",
        ),
        Notification.objects.create(
            signification_id=31,
            channel="sms",
            to="+33612345678",
            status="failed",
            attempts=1,
            last_error="La passerelle SMS a refusé le message (HTTP 400).",
        ),
    ]


@pytest.mark.django_db
def test_the_list_shows_each_alert_with_its_state_and_error(
    operator: Client, alerts: list[Notification]
) -> None:
    response = operator.get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "significations@banque-test.example" in page
    assert "+33612345678" in page
    assert "La passerelle SMS a refusé le message (HTTP 400)." in page
    assert "envoyée" in page and "échec" in page
    assert f'href="{LIST_URL}add/"' not in page


@pytest.mark.django_db
def test_alerts_cannot_be_added_changed_or_deleted(
    operator: Client, alerts: list[Notification]
) -> None:
    sms = alerts[1]

    assert operator.get(f"{LIST_URL}add/").status_code == 403
    assert operator.post(f"{LIST_URL}{sms.pk}/change/", {"status": "sent"}).status_code == 403
    assert operator.post(f"{LIST_URL}{sms.pk}/delete/", {"post": "yes"}).status_code == 403
    sms.refresh_from_db()
    assert sms.status == Notification.Status.FAILED
    # Viewing one is allowed.
    assert operator.get(f"{LIST_URL}{sms.pk}/change/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "count"), [("31", 2), ("+3361", 1), ("banque", 1), ("inconnu", 0)]
)
def test_alerts_are_searched_by_signification_or_address(
    operator: Client, alerts: list[Notification], term: str, count: int
) -> None:
    response = operator.get(LIST_URL, {"q": term})

    assert response.status_code == 200
    assert response.context["cl"].result_count == count
