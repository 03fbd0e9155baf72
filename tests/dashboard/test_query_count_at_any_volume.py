"""Performance (issue 4, item 8): the start page and each category's table, whatever their
sort, filter or page, cost the same number of SQL queries for a dozen notices as for
many times more — the counts come from counter rows, the rows from one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.dashboard.models import Category
from tests.dashboard.conftest import HTMX

VARIANTS = [
    {},
    {"lignes": "25"},
    {"page": "2"},
    {"tri": "reference"},
    {"tri": "-recipient"},
    {"tri": "file"},
    {"tri": "event"},
    {"filtre": "ref"},
]


def _queries(client, path: str, params: dict[str, str], **extra: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params, **extra).status_code == 200
    return len(captured)


def _fill(notices, bailiff, per_category: int) -> None:
    for category in Category:
        notices.make(bailiff, per_category, category, files=2)


@pytest.mark.django_db
def test_the_start_page_costs_the_same_for_few_notices_as_for_many(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    _fill(notices, bailiff, 1)
    client.get("/")  # the session settles (first request after sign-in)
    few = _queries(client, "/", {})

    _fill(notices, bailiff, 30)

    assert _queries(client, "/", {}) == few


@pytest.mark.django_db
@pytest.mark.parametrize("category", list(Category))
def test_each_table_costs_the_same_whatever_its_rows(signed_in_bailiff, notices, category):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    _fill(notices, bailiff, 12)  # page 2 exists
    client.get("/")
    path = f"/agenda/{category.value}/"
    few = [_queries(client, path, params, **HTMX) for params in VARIANTS]

    _fill(notices, bailiff, 40)

    assert [_queries(client, path, params, **HTMX) for params in VARIANTS] == few
    assert max(few) <= 4  # the holder and his vault, the session, the total, the rows
