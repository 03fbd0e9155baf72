"""Every page of every sort shows the right rows: the pages of the second half are read
from the other end of the index, and must still match the plain order."""

from __future__ import annotations

import pytest

from securact.dashboard.services import category_page
from tests.factories import RecipientFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sort", ["-date", "date", "reference", "-reference", "recipient", "-recipient", "file", "event"]
)
def test_pages_concatenate_to_the_whole_sorted_list(notices, bailiff, sort):
    same = RecipientFactory(name="MÊME BANQUE")
    for number in range(23):
        # Several equal references and recipients: the id breaks ties, in both directions.
        notices.make(
            bailiff,
            reference=f"REF-{number % 7:02d}-{number}",
            recipient=same if number % 3 else None,
        )
    whole = [
        row.notice_id for row in category_page(bailiff, "awaiting", per_page=50, sort=sort).rows
    ]

    paged = []
    for number in (1, 2, 3):
        page = category_page(bailiff, "awaiting", page=number, per_page=10, sort=sort)
        assert page.messages == []
        paged += [row.notice_id for row in page.rows]

    assert len(whole) == 23
    assert paged == whole
