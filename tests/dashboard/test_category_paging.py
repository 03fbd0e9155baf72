"""F2.2 paging: `1-10 sur 11`, `<< < 1 2 > >>`, 10/25/50 rows per page."""

from __future__ import annotations

import re

import pytest

from securact.dashboard.services import category_page
from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
def test_eleven_notices_make_two_pages(notices, bailiff):
    notices.make(bailiff, 11)

    first = category_page(bailiff, "awaiting")
    second = category_page(bailiff, "awaiting", page=2)
    wide = category_page(bailiff, "awaiting", per_page=25)

    assert (first.first_index, first.last_index, first.total, first.num_pages) == (1, 10, 11, 2)
    assert len(first.rows) == 10 and first.has_next and not first.has_previous
    assert (second.first_index, second.last_index, len(second.rows)) == (11, 11, 1)
    assert second.has_previous and not second.has_next
    assert {r.notice_id for r in first.rows}.isdisjoint(r.notice_id for r in second.rows)
    assert (wide.num_pages, len(wide.rows)) == (1, 11)


@pytest.mark.django_db
def test_page_numbers_stay_a_window_around_the_current_page(notices, bailiff):
    notices.make(bailiff, 95)  # ten pages of ten
    assert category_page(bailiff, "awaiting", page=1).page_numbers == [1, 2, 3, 4, 5]
    assert category_page(bailiff, "awaiting", page=6).page_numbers == [4, 5, 6, 7, 8]
    assert category_page(bailiff, "awaiting", page=10).page_numbers == [6, 7, 8, 9, 10]


@pytest.mark.django_db
def test_table_shows_the_manuals_paging(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    notices.make(bailiff, 11)

    page = client.get("/agenda/awaiting/", **HTMX).content.decode()

    assert "1-10 sur 11" in page
    pager = re.search(r'<ul class="dash-pager">(.*?)</ul>', page, re.S)
    assert pager is not None
    labels = re.findall(r">([^<>]+)</(?:a|span)>", pager.group(1))
    assert labels == ["«", "‹", "1", "2", "›", "»"]
    assert 'aria-current="page" aria-label="Page 1"' in pager.group(1)
    assert 'aria-label="Page suivante"' in pager.group(1)
    assert page.count("<tbody>") == 1 and page.count('class="dash-actions"') == 10

    last = client.get("/agenda/awaiting/?page=2", **HTMX).content.decode()
    assert "11-11 sur 11" in last
