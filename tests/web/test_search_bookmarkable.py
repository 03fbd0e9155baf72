"""A search lives in its URL: the form shows the criteria it was given, and every link of
the results (sort, pages, the magnifier and the detail's way back) keeps them."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification

CRITERIA = {
    "du": "2026-03-01",
    "au": "2026-03-31",
    "etat": "attente",
    "reference": "saisie",
    "document": "acte",
    "destinataire": "banque",
    "nature": "saisie-attribution",
    "source": "web",
}


def _links(page: str, marker: str) -> list[dict[str, list[str]]]:
    """The query parameters of the page's links whose tag contains ``marker``."""
    found = []
    for chunk in page.split("<a ")[1:]:
        tag = chunk.split(">", 1)[0]
        if marker in tag and 'href="' in tag:
            href = html.unescape(tag.split('href="', 1)[1].split('"', 1)[0])
            found.append(parse_qs(urlsplit(href).query))
    return found


@pytest.mark.django_db
def test_criteria_survive_in_every_link(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for day in range(12):
        make_signification(durand, f"SAISIE-{day:02d}", sent_at=first + timedelta(days=day))

    page = get(client, "/rechercher/", {**CRITERIA, "page": "2"}).content.decode()

    assert "11-12 sur 12" in page
    assert 'name="reference" value="saisie"' in page
    assert 'name="du" value="2026-03-01"' in page
    assert '<option value="attente" selected>' in page
    for links in (_links(page, "search-sort"), _links(page, "aria-label")):
        assert links
        for query in links:
            assert {key: query.get(key) for key in CRITERIA} == {
                key: [value] for key, value in CRITERIA.items()
            }
    # the magnifier carries the search to the detail, whose way back restores it
    detail_links = [
        html.unescape(chunk.split('href="', 1)[1].split('"', 1)[0])
        for chunk in page.split('class="search-magnifier"')[1:]
    ]
    assert len(detail_links) == 2
    detail = get(client, detail_links[0]).content.decode()
    back = html.unescape(detail.split('class="detail-back"><a href="', 1)[1].split('"', 1)[0])
    assert urlsplit(back).path == "/rechercher/"
    assert {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()} == {
        **CRITERIA,
        "page": "2",
    }
