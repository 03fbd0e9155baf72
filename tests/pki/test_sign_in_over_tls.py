"""F1.1 end to end: gunicorn terminates TLS, asks for a client certificate, and the app
answers every refusal with a French 403 page naming the cause."""

from __future__ import annotations

import re

import pytest
import requests

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]


def _get(url: str, roots: str, cert: tuple[str, str] | None = None, **kwargs) -> requests.Response:
    return requests.get(url, cert=cert, verify=roots, allow_redirects=False, timeout=30, **kwargs)


@pytest.fixture
def roots(demo_layout) -> str:
    return str(demo_layout.trust / "roots.pem")


def test_without_certificate_the_page_says_none_was_presented(gunicorn_server, roots):
    response = _get(gunicorn_server + "/", roots)
    assert response.status_code == 403
    assert "Aucun certificat n&#x27;a été présenté." in response.text
    assert response.headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("label", "cause"),
    [
        ("revoked", "Votre certificat a été révoqué"),
        ("expired", "Votre certificat a expiré."),
        ("not-yet-valid", "Votre certificat n&#x27;est pas encore valide."),
        ("untrusted", "n&#x27;a pas été émis par une autorité de certification reconnue"),
    ],
)
def test_refused_certificate_gets_a_french_403_naming_the_cause(
    gunicorn_server, roots, identities, label, cause
):
    response = _get(gunicorn_server + "/", roots, identities[label].pair)
    assert response.status_code == 403
    assert cause in response.text
    assert "Que faire ?" in response.text
    assert "Traceback" not in response.text


def test_first_visit_declares_the_certificate_then_opens_home(
    gunicorn_server, roots, identities, demo_directory
):
    bailiff = identities["bailiff-durand"]
    with requests.Session() as browser:
        browser.cert, browser.verify = bailiff.pair, roots
        browser.trust_env = False  # else REQUESTS_CA_BUNDLE would override `verify`
        first = browser.get(gunicorn_server + "/", allow_redirects=False, timeout=30)
        assert first.status_code == 302
        assert first.headers["Location"] == "/declaration/"
        page = browser.get(gunicorn_server + "/declaration/", timeout=30)
        assert "Déclaration de votre certificat" in page.text
        assert "Claire DURAND" in page.text
        assert "Commissaire de justice" in page.text
        assert "AC Securact Démo Classe 3+" in page.text
        assert re.search(r"Valide du \d\d/\d\d/\d{4} au \d\d/\d\d/\d{4}", page.text)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        confirmed = browser.post(
            gunicorn_server + "/declaration/",
            data={"csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": gunicorn_server + "/declaration/"},
            allow_redirects=False,
            timeout=30,
        )
        assert confirmed.status_code == 302
        home = browser.get(gunicorn_server + "/", allow_redirects=False, timeout=30)
    assert home.status_code == 200
    assert "Tableau de bord" in home.text
    assert re.search(r"\d\d:\d\d:\d\d</time> Connexion au service SECURACT", home.text)


def test_a_forged_certificate_header_is_ignored_by_gunicorn(gunicorn_server, roots, identities):
    """In the embedded mode the certificate comes from TLS only: a header claiming one is
    not believed, even from loopback."""
    forged = {
        "X-SSL-Client-Cert": identities["bailiff-durand"].escaped_pem,
        "X-SSL-Client-Verify": "SUCCESS",
    }
    response = _get(gunicorn_server + "/", roots, headers=forged)
    assert response.status_code == 403
    assert "Aucun certificat" in response.text
