"""A real browser (Debian's Chromium driven by Playwright) signs in over real TLS through
gunicorn with a demo client certificate: the declaration page, then the dashboard. The run
saves screenshots of each screen into var/screenshots/ (README, "Tests")."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "var" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser(demo_layout) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: deploy/apt-packages.txt installs it (make install)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    # Playwright's driver checks the server certificate itself: trust the test root (read
    # when the driver starts; this machine sets the variable to the system bundle).
    os.environ["NODE_EXTRA_CA_CERTS"] = str(demo_layout.trust / "roots.pem")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _page(browser, base_url: str, identity, roots: Path):
    context = browser.new_context(  # type: ignore[attr-defined]
        ignore_https_errors=False,
        client_certificates=[
            {"origin": base_url, "certPath": identity.cert, "keyPath": identity.key}
        ],
        locale="fr-FR",
    )
    return context.new_page()


def test_a_bailiff_declares_his_certificate_in_a_browser_then_sees_the_dashboard(
    browser, gunicorn_server, identities, demo_directory, demo_layout
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _page(
        browser, gunicorn_server, identities["bailiff-durand"], demo_layout.trust / "roots.pem"
    )
    page.goto(gunicorn_server + "/")
    assert page.locator("h1").inner_text() == "Déclaration de votre certificat"
    assert "Claire DURAND" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "01-declaration.png"), full_page=True)
    page.get_by_role("button", name="Confirmer la déclaration").click()
    page.wait_for_url(gunicorn_server + "/")
    assert "Historique de session" in page.content()
    assert page.get_by_text("Connexion au service SECURACT").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "02-tableau-de-bord.png"), full_page=True)


def test_a_revoked_certificate_gets_the_french_refusal_in_a_browser(
    browser, gunicorn_server, identities, demo_layout
):
    page = _page(browser, gunicorn_server, identities["revoked"], demo_layout.trust / "roots.pem")
    response = page.goto(gunicorn_server + "/")
    assert response is not None and response.status == 403
    assert "Votre certificat a été révoqué" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "03-certificat-revoque.png"), full_page=True)
