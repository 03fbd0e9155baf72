"""A bank receives hundreds of deposits a day: the list and the detail cost a fixed number of
queries whatever the number of rows, acts and events (no query per row)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.evidence import journal
from tests.portal.conftest import get

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _count(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert get(client, path, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_list_costs_the_same_for_3_or_50_rows(bank, deposits, django_assert_max_num_queries):
    for n in range(3):
        deposits.make(f"A{n}", SENT + timedelta(minutes=n), files=("a.pdf", "b.pdf"))
    get(bank, "/destinataire/")  # sign-in and session set up once
    few = _count(bank, "/destinataire/", {"lignes": 50})
    for n in range(47):
        deposits.make(f"B{n}", SENT + timedelta(hours=1, minutes=n), files=("a.pdf", "b.pdf"))
    many = _count(bank, "/destinataire/", {"lignes": 50})
    filtered = _count(bank, "/destinataire/", {"lignes": 50, "etude": "9991", "etat": "non-ouvert"})

    assert few == many == filtered
    with django_assert_max_num_queries(9):
        get(bank, "/destinataire/", {"lignes": 50})


@pytest.mark.django_db
def test_the_detail_costs_the_same_whatever_its_acts_and_events(bank, deposits):
    small = deposits.make("PETIT", SENT)
    large = deposits.make("GRAND", SENT, files=tuple(f"acte-{n}.pdf" for n in range(8)))
    for n in range(30):
        journal.append(
            journal.Action.DOWNLOADED,
            actor=journal.PLATFORM_ACTOR,
            signification_id=large.pk,
            data={"file": f"acte-{n}.pdf"},
        )
    get(bank, "/destinataire/")

    assert (
        _count(bank, f"/destinataire/depots/{small.pk}/")
        == _count(bank, f"/destinataire/depots/{large.pk}/")
        <= 8
    )
