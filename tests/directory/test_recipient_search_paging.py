"""F3.1: search results come one page at a time (10, 25 or 50 rows)."""

import pytest

from securact.directory.services import recipient_search_page
from tests.factories import RecipientFactory


@pytest.fixture
def thirty_banks() -> None:
    for number in range(30):
        RecipientFactory(name=f"Banque Populaire {number:02d}")


@pytest.mark.django_db
def test_first_page_holds_ten_by_name_and_knows_the_total(thirty_banks):
    page = recipient_search_page("banque pop")
    assert page.paginator.count == 30
    assert [r.name for r in page] == [f"Banque Populaire {n:02d}" for n in range(10)]
    assert page.has_next() and not page.has_previous()


@pytest.mark.django_db
def test_other_sizes_and_pages(thirty_banks):
    page = recipient_search_page("banque", page_number=2, per_page=25)
    assert [r.name for r in page] == [f"Banque Populaire {n:02d}" for n in range(25, 30)]


@pytest.mark.django_db
def test_unknown_size_falls_back_to_ten_and_page_past_the_end_to_the_last(thirty_banks):
    page = recipient_search_page("banque", page_number=99, per_page=1000)
    assert page.number == 3
    assert len(page) == 10
