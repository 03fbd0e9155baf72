"""A real browser (Debian's Chromium driven by Playwright) signs in over real TLS through
gunicorn with a demo client certificate: the declaration page, then the dashboard. The run
saves screenshots of each screen into var/screenshots/ (README, "Tests")."""

from __future__ import annotations

import pytest

from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]


def test_a_bailiff_declares_his_certificate_in_a_browser_then_sees_the_dashboard(
    browser, gunicorn_server, identities, demo_directory, demo_layout
):
    page = open_page(browser, gunicorn_server, identities["bailiff-durand"])
    page.goto(gunicorn_server + "/")
    assert page.locator("h1").inner_text() == "Déclaration de votre certificat"
    assert "Claire DURAND" in page.content()
    screenshot(page, "01-declaration")
    page.get_by_role("button", name="Confirmer la déclaration").click()
    page.wait_for_url(gunicorn_server + "/")
    assert "Historique de session" in page.content()
    assert page.get_by_text("Connexion au service SECURACT").count() >= 1
    screenshot(page, "02-tableau-de-bord")


def test_a_revoked_certificate_gets_the_french_refusal_in_a_browser(
    browser, gunicorn_server, identities, demo_layout
):
    page = open_page(browser, gunicorn_server, identities["revoked"])
    response = page.goto(gunicorn_server + "/")
    assert response is not None and response.status == 403
    assert "Votre certificat a été révoqué" in page.content()
    screenshot(page, "03-certificat-revoque")
