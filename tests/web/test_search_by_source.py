"""Search by source: significations made in the web form or sent by the practice's
software (EDI)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.significations.models import Signification
from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "found", "absent"), [("edi", "PAR-EDI", "PAR-WEB"), ("web", "PAR-WEB", "PAR-EDI")]
)
def test_by_source(signed_in, source, found, absent):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    sent = datetime(2026, 3, 10, 9, tzinfo=UTC)
    make_signification(durand, "PAR-EDI", source=Signification.Source.EDI, sent_at=sent)
    make_signification(durand, "PAR-WEB", source=Signification.Source.WEB, sent_at=sent)

    page = get(client, "/rechercher/", {"source": source}).content.decode()

    assert f">{found}<" in page
    assert f">{absent}<" not in page
