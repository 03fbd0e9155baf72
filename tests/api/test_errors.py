"""Every error of the API is JSON ``{"erreur", "champ"}`` in French with a 4xx — a bad
parameter (422 naming it), an unknown address (404), a method an address does not take
(405), a holder without the standing (403), no or an undeclared certificate (403, from the
sign-in middleware), too many requests (429 with Retry-After), a body too large (413). The
contract and its documentation page are public; the contract is OpenAPI 3.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from securact.api.models import RateWindow
from tests.api.conftest import BANK, DEPOSITS, V1, error, get, post

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_a_bad_parameter_is_a_422_naming_it(bank: Client) -> None:
    for params, field in (
        ({"limite": "beaucoup"}, "limite"),
        ({"limite": "0"}, "limite"),
        ({"depuis": "hier"}, "depuis"),
        ({"etat": "perdu"}, "etat"),
        ({"acquitte": "peut-être"}, "acquitte"),
        # A NUL reached PostgreSQL, which refuses it in a text (schemathesis found a 500).
        ({"reference": "REF\x00"}, "reference"),
        ({"depuis": "1911-04-06T11:50:13+20:42"}, None),
    ):
        if field is None:  # an offset PostgreSQL refuses: compared in UTC, answered
            assert get(bank, DEPOSITS, params).status_code == 200
            continue
        answer = error(get(bank, DEPOSITS, params), 422)
        assert answer["champ"] == field, (params, answer)
        assert "Field" not in answer["erreur"] and "Input" not in answer["erreur"]


def test_a_path_id_that_is_not_a_number_is_a_422(bank: Client) -> None:
    answer = error(get(bank, f"{DEPOSITS}/abc"), 422)

    assert answer["champ"] == "pk"
    assert answer["erreur"] == "Un nombre entier est attendu."


@pytest.mark.parametrize("cursor", ["WzFd", "eyJhIjoxfQ", "W10", "WyIwMDAxLTAxLTAxIiwxXQ"])
def test_a_forged_cursor_is_a_422_on_curseur(bank: Client, cursor: str) -> None:
    answer = error(get(bank, DEPOSITS, {"curseur": cursor}), 422)

    assert answer["champ"] == "curseur"
    assert "Curseur invalide" in answer["erreur"]


def test_a_cursor_is_short_base64url(bank: Client) -> None:
    for cursor in ("n'importe quoi", "A" * 201):
        assert error(get(bank, DEPOSITS, {"curseur": cursor}), 422)["champ"] == "curseur"


@pytest.mark.parametrize(
    "path", [f"{V1}/inconnu", f"{V1}/destinataire/depots/1/inconnu", "/api/inconnu/"]
)
def test_an_unknown_address_is_a_json_404(bank: Client, path: str) -> None:
    answer = error(get(bank, path), 404)

    assert answer == {"erreur": "Adresse inconnue de l'API SECURACT.", "champ": None}


def test_another_recipients_deposit_is_the_same_404_as_a_missing_one(
    holder, deposits, bank: Client
) -> None:
    theirs = deposits.make("REF-AUTRE", SENT)
    other = holder("recipient-credit-demo")

    for path in ("", "/message-donnees"):
        missing = get(other, f"{DEPOSITS}/999999{path}")
        foreign = get(other, f"{DEPOSITS}/{theirs.pk}{path}")
        assert error(foreign, 404) == error(missing, 404)
    act = theirs.acts.get()
    assert error(get(other, f"{DEPOSITS}/{theirs.pk}/actes/{act.pk}"), 404)["erreur"] == (
        "Aucun dépôt de ce numéro pour votre organisme."
    )


def test_a_method_the_address_does_not_take_is_a_json_405(bank: Client) -> None:
    response = bank.delete(DEPOSITS, secure=True)

    answer = error(response, 405)
    assert "DELETE" in answer["erreur"]
    assert "GET" in response["Allow"]
    assert error(get(bank, f"{DEPOSITS}/1/accuse-reception"), 405)


def test_a_bailiff_is_refused_in_french(holder) -> None:
    bailiff = holder("bailiff-durand")

    for response in (
        get(bailiff, DEPOSITS),
        post(bailiff, f"{DEPOSITS}/1/accuse-reception"),
        post(bailiff, f"{DEPOSITS}/1/retour", {"declaration": "{}"}),
    ):
        answer = error(response, 403)
        assert answer["erreur"] == "Ce service est réservé aux destinataires, avec leur certificat."


def test_no_certificate_is_a_json_403_before_any_view(settings, pki_server) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    answer = error(get(Client(), DEPOSITS), 403)

    assert "certificat" in answer["erreur"]
    assert "<html" not in answer["erreur"].lower()


def test_a_certificate_not_yet_declared_is_told_to_declare_it(holder) -> None:
    undeclared = holder(BANK, declare=False)

    answer = error(get(undeclared, DEPOSITS), 403)

    assert "pas encore déclaré" in answer["erreur"]


def test_a_session_is_never_kept_for_a_machine(bank: Client) -> None:
    response = get(bank, DEPOSITS)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_past_the_rate_a_429_with_retry_after(bank: Client, settings) -> None:
    settings.SECURACT_API_RATE_LIMIT = 3
    settings.SECURACT_API_RATE_WINDOW_SECONDS = 3600

    statuses = [get(bank, DEPOSITS).status_code for _ in range(3)]
    refused = get(bank, DEPOSITS)

    assert statuses == [200, 200, 200]
    answer = error(refused, 429)
    assert "Trop de requêtes" in answer["erreur"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Counted per certificate, in the database (every process shares it): another bank is
    # not limited by this one.
    assert RateWindow.objects.get().count == 3


def test_the_rate_is_per_certificate(holder, settings) -> None:
    settings.SECURACT_API_RATE_LIMIT = 1
    settings.SECURACT_API_RATE_WINDOW_SECONDS = 3600
    first, second = holder(BANK), holder("recipient-credit-demo")

    assert get(first, DEPOSITS).status_code == 200
    assert get(second, DEPOSITS).status_code == 200
    assert get(first, DEPOSITS).status_code == 429


def test_a_body_too_large_is_a_json_413(bank: Client, settings) -> None:
    settings.SECURACT_MAX_REQUEST_BYTES = 100

    response = post(
        bank, f"{DEPOSITS}/1/retour", {"declaration": "x" * 1000}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert "volumineux" in error(response, 413)["erreur"]


def test_the_contract_is_openapi_3_1_and_public(settings, pki_server) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    anyone = Client()

    contract = get(anyone, f"{V1}/openapi.json")
    docs = get(anyone, f"{V1}/docs")

    assert contract.status_code == 200
    schema = contract.json()
    assert schema["openapi"].startswith("3.1.")
    assert "TLS mutuel" in schema["info"]["description"]
    assert schema["components"]["securitySchemes"]["CertificateAuth"]["type"] == "mutualTLS"
    reply = schema["paths"][f"{V1}/destinataire/depots/{{pk}}/retour"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in reply["parameters"])
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content  # served from here (CSP: scripts of this origin)
