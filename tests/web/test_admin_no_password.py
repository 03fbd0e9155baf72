"""Issue 9, item 7 (admin): there is no password login, so the admin offers no way to set
one. With the operator certificate, the user's password page and the admin's own password
change page show no form and store nothing, and the user page has no password link.

In-process (Django test client), certificate forwarded by a trusted proxy."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth import get_user_model

NO_PASSWORD = "Il n'existe pas de mot de passe dans SECURACT"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki_server", "demo_directory")]


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


@pytest.fixture
def operator(client, identities):
    headers: dict[str, Any] = {
        "HTTP_X_SSL_CLIENT_CERT": identities["operator"].escaped_pem,
        "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS",
    }
    client.defaults.update(headers)
    assert client.get("/admin/", secure=True).status_code == 200
    return client


def _assert_refused_without_form(response) -> None:
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert NO_PASSWORD in page
    assert 'type="password"' not in page.lower()
    assert "<form" not in page.lower() or 'name="password' not in page.lower()


def _csrf(client) -> str:
    return str(client.cookies["csrftoken"].value) if "csrftoken" in client.cookies else ""


def test_the_users_password_page_refuses_and_stores_nothing(operator):
    user = get_user_model().objects.get(username="operateur")
    assert not user.has_usable_password()
    url = f"/admin/auth/user/{user.pk}/password/"
    _assert_refused_without_form(operator.get(url, secure=True))
    posted = operator.post(
        url,
        {"password1": "Secret-123-abc", "password2": "Secret-123-abc", "usable_password": "true"},
        secure=True,
    )
    _assert_refused_without_form(posted)
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_admin_password_change_page_refuses_and_stores_nothing(operator):
    _assert_refused_without_form(operator.get("/admin/password_change/", secure=True))
    posted = operator.post(
        "/admin/password_change/",
        {
            "old_password": "",
            "new_password1": "Secret-123-abc",
            "new_password2": "Secret-123-abc",
        },
        secure=True,
    )
    _assert_refused_without_form(posted)
    assert not get_user_model().objects.get(username="operateur").has_usable_password()


def test_the_user_page_offers_no_password_link_nor_field(operator):
    user = get_user_model().objects.get(username="operateur")
    page = operator.get(f"/admin/auth/user/{user.pk}/change/", secure=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "../password/" not in text and "/password/" not in text
    assert 'name="password' not in text and 'type="password"' not in text
    added = operator.get("/admin/auth/user/add/", secure=True)
    assert added.status_code == 200
    assert 'type="password"' not in added.content.decode()
    assert "password_change" not in operator.get("/admin/", secure=True).content.decode()
