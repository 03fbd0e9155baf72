"""Debian's Chromium driven by Playwright, for the browser tests: one browser per module,
a context per signed-in holder carrying the demo client certificate over real TLS, and
screenshots of each screen into ``var/screenshots/`` (README, "Tests")."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

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
    "--lang=fr-FR",  # the browser's own words (the file input's button) in French
]


def launch(roots: Path) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: deploy/apt-packages.txt installs it (make install)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    # Playwright's driver checks the server certificate itself: trust the test root (read
    # when the driver starts; this machine sets the variable to the system bundle).
    os.environ["NODE_EXTRA_CA_CERTS"] = str(roots)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        for context in launched.contexts:  # downloads and pages first: a quick close
            context.close()
        launched.close()


def open_page(browser: Any, base_url: str, identity: Any) -> Any:
    """A new browser context presenting ``identity``'s client certificate to ``base_url``."""
    context = browser.new_context(
        ignore_https_errors=False,
        client_certificates=[
            {"origin": base_url, "certPath": identity.cert, "keyPath": identity.key}
        ],
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    return context.new_page()


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
