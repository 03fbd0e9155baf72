"""Performance (issue 4, item 8): the dashboard and a category's table take the same number
of queries for 1 row or 50 — no query per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.dashboard.services import category_page
from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
def test_category_page_takes_two_queries_whatever_the_rows(
    notices, bailiff, django_assert_num_queries
):
    notices.make(bailiff, 50, files=3)
    with django_assert_num_queries(2):  # the count, the page
        page = category_page(bailiff, "awaiting", per_page=50, sort="recipient")
    assert len(page.rows) == 50


@pytest.mark.django_db
def test_pages_take_as_many_queries_for_one_row_as_for_fifty(
    signed_in_bailiff, notices, django_assert_max_num_queries
):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    notices.make(bailiff, 1)
    client.get("/")  # the session settles (first request after sign-in)

    def queries(path: str, **extra: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, **extra).status_code == 200
        return len(captured)

    one = {
        "page": queries("/?categorie=awaiting&lignes=50"),
        "fragment": queries("/agenda/awaiting/?lignes=50", **HTMX),
    }
    notices.make(bailiff, 49, files=2)
    with django_assert_max_num_queries(one["page"]):
        page = client.get("/?categorie=awaiting&lignes=50").content.decode()
    with django_assert_max_num_queries(one["fragment"]):
        fragment = client.get("/agenda/awaiting/?lignes=50", **HTMX).content.decode()
    assert "1-50 sur 50" in page and "1-50 sur 50" in fragment
