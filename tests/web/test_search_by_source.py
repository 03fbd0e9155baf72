"""Search by source, and each row's channel (issue 13): significations made in the web form,
sent by the practice's software (EDI API) or from the command line (``securact serve``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from securact.significations.models import Signification
from tests.web.test_search_support import bailiff_named, get, make_signification

REFERENCES = {"web": "PAR-WEB", "edi": "PAR-EDI", "cli": "PAR-CLI"}
CHANNELS = {"web": "Web", "edi": "EDI", "cli": "ligne de commande"}


@pytest.mark.django_db
@pytest.mark.parametrize("source", sorted(REFERENCES))
def test_by_source(signed_in, source):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    sent = datetime(2026, 3, 10, 9, tzinfo=UTC)
    for made_by, reference in REFERENCES.items():
        make_signification(durand, reference, source=made_by, sent_at=sent)

    page = get(client, "/rechercher/", {"source": source}).content.decode()

    for made_by, reference in REFERENCES.items():
        assert (f">{reference}<" in page) is (made_by == source)
    # The row says its channel, in the "Canal" column.
    assert re.search(r'<th scope="col" class="search-col-canal">\s*Canal\s*</th>', page)
    cells = re.findall(r'<td class="search-col-canal">([^<]*)</td>', page)
    assert cells == [CHANNELS[source]]


@pytest.mark.django_db
def test_the_channels_are_the_three_sources():
    assert {value for value, _label in Signification.Source.choices} == set(REFERENCES)
