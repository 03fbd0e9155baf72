"""F2.1: the four categories' unviewed counts, in one query, the bailiff's own only."""

from __future__ import annotations

import pytest

from securact.dashboard.models import Category
from securact.dashboard.services import mark_viewed, unviewed_counts
from tests.factories import BailiffFactory


@pytest.mark.django_db
def test_counts_of_unviewed_notices_per_category_in_one_query(
    notices, bailiff, django_assert_num_queries
):
    awaiting = notices.make(bailiff, 3, Category.AWAITING)
    notices.make(bailiff, 2, Category.AT_HOME)
    notices.make(bailiff, 1, Category.ACT_RETURN)
    notices.make(BailiffFactory(), 4, Category.AWAITING)  # another bailiff's
    mark_viewed(bailiff, awaiting[0].pk)

    with django_assert_num_queries(1):
        counts = unviewed_counts(bailiff)

    assert counts == {"awaiting": 2, "in_person": 0, "at_home": 2, "act_return": 1}
    assert list(counts) == ["awaiting", "in_person", "at_home", "act_return"]  # the manual's order
