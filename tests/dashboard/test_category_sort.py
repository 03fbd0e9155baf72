"""F2.2 sorting: newest deposit first by default; each column both ways."""

from __future__ import annotations

import pytest

from securact.dashboard.services import category_page
from tests.dashboard.conftest import HTMX
from tests.factories import RecipientFactory


def references(page):
    return [row.reference for row in page.rows]


@pytest.fixture
def three(notices, bailiff):
    # Deposited in this order (an hour apart): B, C, A; recipients Zèbre, Alpha, Mouette.
    for reference, name in [("B-REF", "Zèbre"), ("C-REF", "Alpha"), ("A-REF", "Mouette")]:
        notices.make(bailiff, reference=reference, recipient=RecipientFactory(name=name))
    return bailiff


@pytest.mark.django_db
def test_default_order_is_newest_deposit_first(three):
    assert references(category_page(three, "awaiting")) == ["A-REF", "C-REF", "B-REF"]
    assert references(category_page(three, "awaiting", sort="date")) == ["B-REF", "C-REF", "A-REF"]


@pytest.mark.django_db
def test_sort_by_reference_and_by_recipient_both_ways(three):
    assert references(category_page(three, "awaiting", sort="reference")) == [
        "A-REF",
        "B-REF",
        "C-REF",
    ]
    assert references(category_page(three, "awaiting", sort="-reference")) == [
        "C-REF",
        "B-REF",
        "A-REF",
    ]
    assert references(category_page(three, "awaiting", sort="recipient")) == [
        "C-REF",  # Alpha
        "A-REF",  # Mouette
        "B-REF",  # Zèbre
    ]


@pytest.mark.django_db
def test_column_header_links_sort_and_reverse(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    for reference in ["B-REF", "A-REF"]:
        notices.make(bailiff, reference=reference)

    page = client.get("/agenda/awaiting/?tri=reference", **HTMX).content.decode()

    assert page.index("A-REF") < page.index("B-REF")
    assert 'aria-sort="ascending"' in page
    # Clicking the sorted column again reverses it; paging restarts at 1.
    assert 'hx-get="/agenda/awaiting/?page=1&amp;lignes=10&amp;tri=-reference"' in page
    reversed_page = client.get("/agenda/awaiting/?tri=-reference", **HTMX).content.decode()
    assert reversed_page.index("B-REF") < reversed_page.index("A-REF")
    assert 'aria-sort="descending"' in reversed_page
