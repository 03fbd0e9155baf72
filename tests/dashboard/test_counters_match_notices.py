"""The four numbers come from counters kept with the notices: after every kind of change
they equal a count of the unviewed notices, and ``recount`` rebuilds the same."""

from __future__ import annotations

import pytest
from django.db.models import Count

from securact.dashboard.models import Category, DashboardNotice, UnviewedCount
from securact.dashboard.services import (
    mark_signification_viewed,
    mark_viewed,
    notify,
    notify_awaiting,
    recount,
    unviewed_counts,
)
from tests.factories import BailiffFactory


def truth(bailiff):
    counts = dict.fromkeys(Category.values, 0)
    counts.update(
        DashboardNotice.objects.filter(bailiff=bailiff, viewed_at__isnull=True)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    return counts


@pytest.mark.django_db
def test_counters_follow_every_change(notices, bailiff):
    other = BailiffFactory()
    a, b, c, _d = notices.make(bailiff, 4)
    notices.make(other, 2)
    notify_awaiting(a.signification)  # again: nothing new
    notify(a.signification, Category.IN_PERSON)  # resolves a
    notify(a.signification, Category.IN_PERSON)  # again
    notify(b.signification, Category.AT_HOME)  # resolves b
    notify(b.signification, Category.ACT_RETURN)
    mark_viewed(bailiff, c.pk)
    mark_viewed(bailiff, c.pk)  # again
    mark_signification_viewed(bailiff, b.signification_id)  # at home + return
    late = notices.signification(bailiff)
    notify(late, Category.AT_HOME)
    notify_awaiting(late)  # born resolved

    expected = {"awaiting": 1, "in_person": 1, "at_home": 1, "act_return": 0}
    assert truth(bailiff) == expected
    assert unviewed_counts(bailiff) == expected
    assert unviewed_counts(other)["awaiting"] == 2

    UnviewedCount.objects.update(unviewed=999)  # counters gone wrong
    recount(bailiff)
    assert unviewed_counts(bailiff) == expected
    assert unviewed_counts(other)["awaiting"] == 999  # only his were rebuilt
    recount()
    assert unviewed_counts(other)["awaiting"] == 2
