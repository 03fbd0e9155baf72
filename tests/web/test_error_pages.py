"""The service's own error pages are French and in its layout: an unknown address (404), a
form refused by the CSRF check (403), and the standalone page of an unexpected error (500)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_french_not_found_page(signed_in):
    client = signed_in("bailiff-durand")
    answer = client.get("/cette-page-n-existe-pas/", secure=True)
    assert answer.status_code == 404
    page = answer.content.decode()
    assert "Page introuvable" in page
    assert "Signification d'actes" in page  # the menu of the signed-in bailiff
    assert "Not Found" not in page


def test_a_form_without_its_csrf_token_is_refused_in_french(signed_in, identities):
    signed_in("bailiff-durand")
    holder = identities["bailiff-durand"]
    client = Client(enforce_csrf_checks=True)
    client.defaults.update(
        HTTP_X_SSL_CLIENT_CERT=holder.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS"
    )
    answer = client.post("/signifier/", {"reference": "SANS-JETON"}, secure=True)
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Formulaire expiré ou incomplet" in page
    assert "Rien n'a été enregistré." in page
    assert "CSRF verification failed" not in page


def test_the_server_error_page_needs_no_context_and_is_french():
    page = render_to_string("500.html")
    assert '<html lang="fr">' in page
    assert "Le service a rencontré une erreur" in page
