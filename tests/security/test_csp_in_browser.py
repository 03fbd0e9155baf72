"""Issue 9, item 5: the main pages under the Content-Security-Policy in a real browser
(Chromium under Playwright, real TLS through gunicorn): no violation reported on the
console, and the htmx interactions that used inline code still work (search and choose a
recipient, the nature's data section, « Modifier », a refused upload said next to the file)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web import test_browser_journeys as journeys
from tests.web.browser import open_page

pytestmark = [pytest.mark.tls, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GARNISHMENT = (
    "Procès-verbal de saisie attribution (auprès d'un établissement habilité à tenir des "
    "comptes de dépôt)"
)


def _watched(browser: Any, site: str, holder: Any) -> tuple[Any, list[str]]:
    page = open_page(browser, site, holder)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page, problems


def test_the_bailiff_pages_run_under_the_policy(browser, tls_server, declared, tmp_path):
    holder = declared("bailiff-durand")
    page, problems = _watched(browser, tls_server.url, holder)
    page.goto(tls_server.url + "/")
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    answer = page.goto(tls_server.url + "/signifier/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]

    journeys._choose_recipient(page, "credit", "CRÉDIT DÉMO DE L'EST")
    with page.expect_response(re.compile(r"/signifier/donnees/")):
        page.get_by_label("Nature de l'acte").select_option(label=GARNISHMENT)
    page.locator("#act-elements h2", has_text="Données de l'acte").wait_for()

    page.locator("#recipient-panel").get_by_role("button", name="Modifier").click()
    assert page.evaluate("document.activeElement.id") == "recipient-q"

    refused = tmp_path / "note.txt"
    refused.write_text("pas un acte")
    page.locator("#add-file").set_input_files(str(refused))
    page.locator("#draft-files", has_text="n'est pas d'un type accepté").wait_for()
    assert page.locator("#add-file").input_value() == ""

    page.goto(tls_server.url + "/rechercher/")
    page.get_by_role("heading", name="Rechercher").first.wait_for()
    page.wait_for_timeout(300)
    assert problems == []


def test_the_recipient_pages_run_under_the_policy(browser, tls_server, declared):
    holder = declared("recipient-banque-test")
    page, problems = _watched(browser, tls_server.url, holder)
    page.goto(tls_server.url + "/destinataire/")
    page.get_by_role("heading", name="Mes significations").first.wait_for()
    page.goto(tls_server.url + "/destinataire/parametres/")
    page.wait_for_timeout(300)
    assert problems == []


def test_an_inline_script_would_be_reported(browser, tls_server, declared):
    """The watch itself works: an inline script injected into a page is refused and said."""
    holder = declared("bailiff-durand")
    page, problems = _watched(browser, tls_server.url, holder)
    page.goto(tls_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in p for p in problems)
    assert page.evaluate("window.x") is None
