"""Issue 9, item 13: in the service form, Enter in « Rechercher le destinataire » searches —
as the « Rechercher » button does — instead of submitting the whole form (which cleared the
search and showed three « Choisissez… » errors). Chromium over real TLS through gunicorn."""

from __future__ import annotations

from pathlib import Path

import pytest

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.services import declare_vault
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

SEARCH = "Rechercher le destinataire (SIRET, nom ou n° INSEE)"


@pytest.fixture
def form_page(browser, gunicorn_server, identities, demo_directory):
    bailiff = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(bailiff.cert).read_bytes())))
    page = open_page(browser, gunicorn_server, bailiff)
    page.goto(gunicorn_server + "/signifier/")
    yield page
    page.context.close()


def _submitted(page, requests: list[str]) -> bool:
    return any(method == "POST" for method in requests)


def test_enter_in_the_recipient_search_searches_and_does_not_submit(form_page):
    page = form_page
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method))
    field = page.get_by_label(SEARCH)
    # Typed without an input event: only Enter can bring the results.
    field.evaluate("(input) => { input.value = 'BANQUE'; }")
    field.press("Enter")
    page.locator("#recipient-results tr", has_text="BANQUE TEST").wait_for()
    page.wait_for_timeout(500)  # time for a submission, if Enter had sent one
    screenshot(page, "serve-recipient-search-enter")
    assert not _submitted(page, sent)
    assert page.get_by_label(SEARCH).input_value() == "BANQUE"
    assert page.locator(".field-error").count() == 0
    assert "hoisissez" not in page.content()


def test_the_rechercher_button_searches(form_page):
    page = form_page
    page.get_by_label(SEARCH).fill("CRÉDIT")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.locator("#recipient-results tr", has_text="CRÉDIT DÉMO DE L'EST").wait_for()
    assert page.locator(".field-error").count() == 0
