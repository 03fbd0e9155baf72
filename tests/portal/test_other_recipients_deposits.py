"""Another recipient's deposit id, in any URL of the portal, is the 404 of a missing one:
the same page, the same status, after the same single owner-filtered query."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.directory.models import Recipient
from securact.significations.models import Signification
from tests.portal.conftest import OTHER_BANK, acts_of, get

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def theirs_and_mine(bank, holder, deposits):
    other = Recipient.objects.get(siret="99999002100019")
    holder(OTHER_BANK)  # its vault declared, as a signed-in bank's would be
    theirs = deposits.make("LEUR-ACTE", SENT, recipient=other)
    mine = deposits.make("MON-ACTE", SENT)
    return bank, theirs, mine


def _page_without_history(response) -> str:
    # The session history aside lists the time of each request, and every page carries a
    # fresh masked CSRF token: neither is part of the answer.
    page = response.content.decode().split('<aside class="history"', 1)[0]
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)


@pytest.mark.django_db
def test_detail_and_download_of_another_recipients_deposit_are_404(theirs_and_mine):
    bank, theirs, mine = theirs_and_mine
    (their_act,) = acts_of(theirs)
    (my_act,) = acts_of(mine)
    missing = Signification.objects.order_by("-pk").first().pk + 1000
    urls = [
        f"/destinataire/depots/{theirs.pk}/",
        f"/destinataire/depots/{theirs.pk}/actes/{their_act.pk}/",
        f"/destinataire/depots/{mine.pk}/actes/{their_act.pk}/",  # their act under my deposit
        f"/destinataire/depots/{theirs.pk}/actes/{my_act.pk}/",  # my act under their deposit
        f"/destinataire/depots/{missing}/",
        f"/destinataire/depots/{missing}/actes/{my_act.pk}/",
    ]
    get(bank, "/destinataire/")  # sign-in and session set up once
    pages = set()
    for url in urls:
        response = get(bank, url)
        assert response.status_code == 404, url
        assert "Content-Disposition" not in response
        pages.add(_page_without_history(response))
    assert len(pages) == 1  # nothing tells an existing deposit from a missing one
    (page,) = pages
    assert "Introuvable" in page
    assert "LEUR-ACTE" not in page
    theirs.refresh_from_db()
    assert theirs.opened_at is None  # nothing recorded for them


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b", "?", re.sub(r"'[^']*'", "?", sql))


@pytest.mark.django_db
def test_the_work_is_the_same_whether_it_exists_or_not(theirs_and_mine):
    bank, theirs, _mine = theirs_and_mine
    (their_act,) = acts_of(theirs)
    missing = Signification.objects.order_by("-pk").first().pk + 1000
    get(bank, "/destinataire/")

    def queries_for(url: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert get(bank, url).status_code == 404
        # The same statements, their values aside (the ids and the clock differ).
        return [_shape(query["sql"]) for query in captured.captured_queries]

    assert queries_for(f"/destinataire/depots/{theirs.pk}/") == queries_for(
        f"/destinataire/depots/{missing}/"
    )
    assert queries_for(f"/destinataire/depots/{theirs.pk}/actes/{their_act.pk}/") == (
        queries_for(f"/destinataire/depots/{missing}/actes/{their_act.pk}/")
    )
