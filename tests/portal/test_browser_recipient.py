"""The recipient's journey in a real browser (Debian's Chromium under Playwright), over real
TLS through gunicorn with BANQUE TEST's demo client certificate: first sign-in (declaration
of its certificate), its deposits, one deposit, the download of its act — the opening
recorded by the server (à personne) — and its settings. Each screen is saved into
``var/screenshots/30-destinataire-*.png`` (README, "Tests")."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from securact.significations.models import DeliveryState
from tests.conftest import TEST_ROOT, gunicorn_command, server_environment
from tests.portal.conftest import BANK, acts_of
from tests.processes import free_port, port_open, running
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(demo_layout, pki_server, deposits, settings) -> Iterator[str]:
    """gunicorn over TLS reading the test database and the deposits' vault folder."""
    port = free_port()
    env = server_environment(demo_layout, SECURACT_VAULT_DIR=str(settings.SECURACT_VAULT_DIR))
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / "gunicorn-portal.log",
    ):
        yield f"https://localhost:{port}"


def test_a_bank_signs_in_finds_its_deposit_and_downloads_the_act(
    browser, site, deposits, identities, tmp_path: Path
):
    now = timezone.now()
    older = deposits.make("SAISIE-2026-0101", now - timedelta(hours=5))
    served = deposits.make(
        "SAISIE-2026-0417", now - timedelta(hours=1), files=("pv-saisie.pdf", "annexe.pdf")
    )
    first, _annex = acts_of(served)
    page = open_page(browser, site, identities[BANK])

    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Déclaration de votre certificat"
    page.get_by_role("button", name="Confirmer la déclaration").click()
    page.wait_for_url(site + "/destinataire/")
    assert page.locator("h1").inner_text() == "Mes significations"
    rows = page.locator("#depots-table tbody tr")
    assert rows.count() == 2
    assert "SAISIE-2026-0417" in rows.nth(0).inner_text()  # the newest first
    assert "Non ouvert" in rows.nth(0).inner_text()
    screenshot(page, "30-destinataire-liste")

    page.get_by_role("link", name="Ouvrir le dépôt SAISIE-2026-0417").click()
    page.wait_for_url(f"{site}/destinataire/depots/{served.pk}/")
    assert "pas encore ouvert" in page.content()
    screenshot(page, "31-destinataire-depot")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Télécharger {first.deposited_name}").click()
    download = download_info.value
    assert download.suggested_filename == first.deposited_name
    saved = tmp_path / "telecharge.pdf"
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == first.stored_file.sha256

    served.refresh_from_db()
    assert served.opened_at is not None
    assert served.delivery_state == DeliveryState.IN_PERSON
    page.reload()
    assert "Remis à personne" in page.content()
    assert "Première ouverture de l'acte" in page.locator("#historique").inner_text()
    screenshot(page, "32-destinataire-acte-ouvert")

    page.get_by_role("link", name="Mes significations", exact=True).click()
    page.wait_for_url(site + "/destinataire/")
    rows = page.locator("#depots-table tbody tr")
    assert "SAISIE-2026-0101" in rows.nth(0).inner_text()  # unopened first now
    assert "Remis à personne" in rows.nth(1).inner_text()
    older.refresh_from_db()
    assert older.opened_at is None

    page.get_by_role("link", name="Paramètres", exact=True).click()
    page.wait_for_url(site + "/destinataire/parametres/")
    nature = page.locator("article.portal-nature", has_text="Saisie-vente")
    nature.get_by_label("Jour").select_option(label="lundi")
    nature.get_by_label("De").fill("11:00")
    nature.get_by_label("À").fill("13:00")
    nature.get_by_role("button", name="Ajouter la plage").click()
    assert "chevauche la plage existante du lundi de 08:00 à 12:00" in page.content()
    screenshot(page, "33-destinataire-parametres")

    withdrawn = page.locator("article.portal-nature", has_text="Mainlevée-quittance")
    withdrawn.locator("summary").click()
    withdrawn.get_by_role("button", name="Confirmer le retrait").click()
    page.wait_for_url(site + "/destinataire/parametres/#natures")
    assert page.locator("article.portal-nature", has_text="Mainlevée-quittance").count() == 0
    assert "Nature d'acte retirée par BANQUE TEST : Mainlevée-quittance" in page.content()
