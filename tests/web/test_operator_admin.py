"""The Django admin is the operators' console, reached with the operator certificate only:
no password form exists; a bailiff gets a French 403; switching certificates on the same
session logs the operator out.

In-process (Django test client), certificate forwarded by a trusted proxy.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.services import declare_vault

RESERVED = "L'administration de SECURACT est réservée aux opérateurs."

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki_server", "demo_directory")]


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _as(identity) -> dict[str, Any]:
    return {"HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _assert_no_password_form(response) -> None:
    page = response.content.decode().lower()
    assert 'type="password"' not in page
    assert 'name="password"' not in page


@pytest.fixture
def declared_bailiff(identities):
    durand = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(durand.cert).read_bytes())))
    return durand


def test_the_operator_certificate_opens_the_admin(client, identities):
    response = client.get("/admin/", secure=True, **_as(identities["operator"]))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/index.html"
    page = _page(response)
    assert "SECURACT — exploitation" in page
    assert "/admin/directory/recipient/" in page
    assert response.wsgi_request.user.username == "operateur"
    _assert_no_password_form(response)


def test_the_operator_sees_the_recipients(client, identities):
    response = client.get("/admin/directory/recipient/", secure=True, **_as(identities["operator"]))
    assert response.status_code == 200
    page = _page(response)
    for name in ("BANQUE TEST", "CRÉDIT DÉMO DE L'EST", "Société Générale d'Assurances Exemple"):
        assert name in page


def test_a_bailiff_gets_a_french_403_on_the_admin(client, declared_bailiff):
    first = client.get("/admin/", secure=True, **_as(declared_bailiff))
    assert first.status_code == 302
    assert first["Location"].startswith("/admin/login/")
    response = client.get("/admin/", secure=True, follow=True, **_as(declared_bailiff))
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    page = _page(response)
    assert RESERVED in page
    assert "il n'existe pas de connexion par mot de passe" in page
    assert response["Content-Language"] == "fr"
    _assert_no_password_form(response)


def test_a_bailiff_cannot_reach_an_admin_page_directly(client, declared_bailiff):
    response = client.get(
        "/admin/directory/recipient/", secure=True, follow=True, **_as(declared_bailiff)
    )
    assert response.status_code == 403
    assert RESERVED in _page(response)
    assert "BANQUE TEST" not in _page(response)


@pytest.mark.parametrize("label", ["bailiff-durand", "operator"])
def test_the_admin_login_page_never_shows_a_password_form(client, identities, label):
    response = client.get("/admin/login/", secure=True, **_as(identities[label]))
    _assert_no_password_form(response)


def test_a_password_post_to_the_admin_login_logs_nobody_in(client, identities, declared_bailiff):
    operator = get_user_model().objects.get(username="operateur")
    operator.set_password("secret-123")
    operator.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "operateur", "password": "secret-123"},
        secure=True,
        **_as(declared_bailiff),
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/", secure=True, **_as(declared_bailiff)).status_code == 302


def test_switching_from_the_operator_to_a_bailiff_certificate_logs_the_operator_out(
    client, identities, declared_bailiff
):
    operator = identities["operator"]
    assert client.get("/admin/", secure=True, **_as(operator)).status_code == 200
    assert "_auth_user_id" in client.session

    home = client.get("/", secure=True, **_as(declared_bailiff))
    assert home.status_code == 200
    assert not home.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session
    admin = client.get("/admin/", secure=True, follow=True, **_as(declared_bailiff))
    assert admin.status_code == 403
    assert RESERVED in _page(admin)


def test_an_inactive_operator_account_is_refused(client, identities):
    get_user_model().objects.filter(username="operateur").update(is_active=False)
    response = client.get("/admin/", secure=True, follow=True, **_as(identities["operator"]))
    assert response.status_code == 403
    assert "Ce certificat n'est rattaché ni à une étude" in _page(response)
    assert "_auth_user_id" not in client.session


def test_an_operator_at_the_admin_login_url_is_sent_on_to_the_admin(client, identities):
    response = client.get(
        "/admin/login/?next=/admin/directory/recipient/", secure=True, **_as(identities["operator"])
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/directory/recipient/"
