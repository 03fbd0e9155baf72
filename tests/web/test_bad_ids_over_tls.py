"""Issue 9, item 4: an id that is not a number, or a number past what the database holds
(SQLite: OverflowError beyond 64 bits; PostgreSQL: DataError "out of range"), is a French
4xx page — never the 500 page — on every URL that takes an id, over real TLS (gunicorn).
The data-message API answers its JSON error, never HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.services import declare_vault

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

HUGE = "99999999999999999999999"
PAST_BIGINT = str(2**63)  # one past PostgreSQL's bigint and SQLite's integer
LAST_BIGINT = str(2**63 - 1)  # a valid id that names nothing: the ordinary 404
IDS = [HUGE, PAST_BIGINT, LAST_BIGINT]
NOT_NUMBERS = ["abc", "²", "-1", "1.5", " 1"]


@pytest.fixture
def session_of(gunicorn_server, demo_layout, identities, demo_directory):
    opened: list[requests.Session] = []

    def open_as(label: str) -> requests.Session:
        holder = identities[label]
        declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
        browser = requests.Session()
        browser.cert, browser.verify = holder.pair, str(demo_layout.trust / "roots.pem")
        browser.trust_env = False  # else REQUESTS_CA_BUNDLE would override `verify`
        opened.append(browser)
        return browser

    yield open_as
    for browser in opened:
        browser.close()


def _get(browser: requests.Session, url: str) -> requests.Response:
    return browser.get(url, allow_redirects=False, timeout=30)


def _french_page(response: requests.Response, status: int, text: str) -> None:
    assert response.status_code == status, (response.url, response.status_code)
    assert "Le service a rencontré une erreur" not in response.text
    assert text in response.text


@pytest.mark.parametrize("pk", IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/significations/{pk}/",
        "/significations/{pk}/progression/",
        "/significations/{pk}/mainlevee/",
        "/significations/{pk}/lettre-simple/",
        "/significations/{pk}/fichiers/{pk}/",
        "/significations/1/fichiers/{pk}/",
        "/signifier/actes/abc/apercu/pages/{pk}.png",
    ],
)
def test_a_bailiffs_url_with_an_id_out_of_range_is_a_french_404(
    session_of, gunicorn_server, path, pk
):
    browser = session_of("bailiff-durand")
    response = _get(browser, gunicorn_server + path.format(pk=pk))
    _french_page(response, 404, "introuvable")


@pytest.mark.parametrize("value", [*NOT_NUMBERS, *IDS])
def test_the_service_forms_recipient_panel_refuses_a_bad_recipient_in_french(
    session_of, gunicorn_server, value
):
    browser = session_of("bailiff-durand")
    response = browser.get(
        gunicorn_server + "/signifier/destinataire/",
        params={"recipient": value},
        allow_redirects=False,
        timeout=30,
    )
    _french_page(response, 404, "Page introuvable")


@pytest.mark.parametrize("value", [*NOT_NUMBERS, *IDS])
@pytest.mark.parametrize("path", ["/signifier/horaires/", "/signifier/donnees/", "/signifier/"])
def test_the_service_forms_fragments_ignore_a_bad_id(session_of, gunicorn_server, path, value):
    """The hours message and the data section say nothing for an unknown recipient or
    nature; the form itself does not preselect it."""
    browser = session_of("bailiff-durand")
    response = browser.get(
        gunicorn_server + path,
        params={"recipient": value, "nature": value},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 200, response.status_code


@pytest.mark.parametrize("pk", IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/destinataire/depots/{pk}/",
        "/destinataire/depots/{pk}/actes/1/",
        "/destinataire/depots/1/actes/{pk}/",
        "/destinataire/depots/{pk}/repondre/",
    ],
)
def test_a_recipients_url_with_an_id_out_of_range_is_a_french_404(
    session_of, gunicorn_server, path, pk
):
    browser = session_of("recipient-banque-test")
    response = _get(browser, gunicorn_server + path.format(pk=pk))
    _french_page(response, 404, "ntrouvable")


@pytest.mark.parametrize("pk", [*IDS, "abc"])
def test_the_data_message_api_answers_its_json_error_for_an_id_out_of_range(
    session_of, gunicorn_server, pk
):
    browser = session_of("recipient-banque-test")
    url = f"{gunicorn_server}/api/destinataire/significations/{pk}/message-donnees.xml"
    response = _get(browser, url)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    assert "Aucun message de données" in response.json()["erreur"]


@pytest.mark.parametrize("page", [HUGE, "abc", "0"])
def test_the_data_message_list_refuses_a_page_out_of_range_in_json(
    session_of, gunicorn_server, page
):
    browser = session_of("recipient-banque-test")
    response = browser.get(
        gunicorn_server + "/api/destinataire/messages-donnees/",
        params={"page": page},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json()["erreur"] == "Page inexistante."


def test_an_unknown_api_address_is_a_json_404(session_of, gunicorn_server):
    browser = session_of("recipient-banque-test")
    response = _get(browser, gunicorn_server + "/api/destinataire/inconnu/")
    assert response.status_code == 404
    assert response.json()["erreur"] == "Adresse inconnue de l'API SECURACT."
