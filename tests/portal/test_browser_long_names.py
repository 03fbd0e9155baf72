"""Issue 9, item 14: at 1280 px, a bank's list shows the acts' whole names, the reference
and the debtor wrapped inside the results card, and the session history's entries (the
download of an act with a long name) stay inside the history card — checked on the
bounding boxes Chromium draws, over real TLS through gunicorn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

from tests.conftest import TEST_ROOT, gunicorn_command, server_environment
from tests.portal.conftest import BANK
from tests.portal.test_deposit_list_reference_debtor import with_debtor
from tests.processes import free_port, port_open, running
from tests.web.browser import open_page, screenshot

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

SENT = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
# No space, no hyphen: nowhere a browser would break the line by itself.
LONG_REFERENCE = "RECETTE_2026_04_17_SAISIE_ATTRIBUTION_COMPTE_COURANT_DUPONT_JEAN_PIERRE_000123"
LONG_DEBTOR = "SOCIETE_CIVILE_IMMOBILIERE_DES_GRANDS_ENSEMBLES_DU_NORD_EST_ET_DE_LA_MOSELLE"


@pytest.fixture
def site(deposits, demo_layout, pki_server, settings) -> Iterator[str]:
    """gunicorn over TLS on the test database, reading the deposits' vault folder."""
    connection.close()  # the server opens its own
    port = free_port()
    env = server_environment(demo_layout, SECURACT_VAULT_DIR=str(settings.SECURACT_VAULT_DIR))
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / "gunicorn-long-names.log",
    ):
        yield f"https://localhost:{port}"


def _inside(page: Any, inner: str, outer: str) -> list[str]:
    """Descriptions of the ``inner`` elements that overflow their ``outer`` ancestor or are
    cut (text wider than their box)."""
    found: list[str] = page.evaluate(
        """([inner, outer]) => [...document.querySelectorAll(inner)].flatMap((el) => {
            const box = el.getBoundingClientRect();
            const card = el.closest(outer).getBoundingClientRect();
            const out = box.left < card.left - 0.5 || box.right > card.right + 0.5;
            const cut = el.scrollWidth > el.clientWidth + 1;
            const text = el.textContent.trim().slice(0, 40);
            return out || cut ? [`${text} out=${out} cut=${cut}`] : [];
        })""",
        [inner, outer],
    )
    return found


def test_long_names_wrap_inside_their_cards_at_1280_px(browser, site, deposits, identities):
    signification = deposits.make(LONG_REFERENCE, SENT, files=("a.pdf", "b.pdf"))
    with_debtor(signification, company=LONG_DEBTOR)
    page = open_page(browser, site, identities[BANK])
    page.goto(site + "/destinataire/")
    if page.locator("h1", has_text="Déclaration").count():
        page.get_by_role("button", name="Confirmer la déclaration").click()
        page.goto(site + "/destinataire/")
    page.goto(f"{site}/destinataire/depots/{signification.pk}/")
    for link in page.locator("a.detail-download", has_text="Télécharger").all()[:2]:
        with page.expect_download():
            link.click()
    page.goto(site + "/destinataire/")
    screenshot(page, "portal-long-names")

    assert page.viewport_size == {"width": 1280, "height": 900}
    full_names = page.locator("#depots-table .portal-full")
    texts = full_names.all_inner_texts()
    first = signification.acts.order_by("position").first()
    assert first is not None
    assert first.deposited_name in [t.replace("\n", "") for t in texts]
    assert LONG_REFERENCE in [t.replace("\n", "") for t in texts]
    assert LONG_DEBTOR in [t.replace("\n", "") for t in texts]
    history = page.locator(".history-recent li", has_text="Téléchargement de")
    assert history.count() == 2
    problems = {
        "names": _inside(page, "#depots-table .portal-full", "section.search-results"),
        "table": _inside(page, "#depots-table", "section.search-results"),
        "history": _inside(page, ".history li", "aside.history"),
    }
    assert problems == {"names": [], "table": [], "history": []}
    page.context.close()
