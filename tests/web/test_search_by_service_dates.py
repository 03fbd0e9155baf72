"""Search by service date: *du* and *au* are whole days in Paris (winter and summer time),
typed as the date picker sends them (2026-03-10) or as a French user writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.fixture
def served(signed_in):
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    for reference, sent_at in [
        ("VEILLE-2330", datetime(2026, 3, 9, 22, 30, tzinfo=UTC)),  # 9 March, 23:30 Paris
        ("JOUR-0030", datetime(2026, 3, 9, 23, 30, tzinfo=UTC)),  # 10 March, 00:30 Paris
        ("JOUR-2359", datetime(2026, 3, 10, 22, 59, tzinfo=UTC)),  # 10 March, 23:59 Paris
        ("LENDEMAIN-0000", datetime(2026, 3, 10, 23, 0, tzinfo=UTC)),  # 11 March, 00:00
        ("ETE-2359", datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC)),  # 1 July, 23:59:59 (UTC+2)
        ("ETE-LENDEMAIN", datetime(2026, 7, 1, 22, 0, tzinfo=UTC)),  # 2 July, 00:00
    ]:
        make_signification(durand, reference, sent_at=sent_at)
    make_signification(durand, "PAS-ENCORE-DEPOSEE", sent_at=None)
    return client


def _references(page: str) -> set[str]:
    known = {
        "VEILLE-2330",
        "JOUR-0030",
        "JOUR-2359",
        "LENDEMAIN-0000",
        "ETE-2359",
        "ETE-LENDEMAIN",
        "PAS-ENCORE-DEPOSEE",
    }
    return {reference for reference in known if f">{reference}<" in page}


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2026-03-10", "10/03/2026"])
def test_one_day_is_that_day_in_paris(served, day):
    page = get(served, "/rechercher/", {"du": day, "au": day}).content.decode()
    assert _references(page) == {"JOUR-0030", "JOUR-2359"}


@pytest.mark.django_db
def test_summer_days_end_at_paris_midnight(served):
    page = get(served, "/rechercher/", {"du": "2026-07-01", "au": "2026-07-01"}).content.decode()
    assert _references(page) == {"ETE-2359"}


@pytest.mark.django_db
def test_from_alone_and_to_alone(served):
    since = get(served, "/rechercher/", {"du": "2026-03-11"}).content.decode()
    until = get(served, "/rechercher/", {"au": "2026-03-09"}).content.decode()
    assert _references(since) == {"LENDEMAIN-0000", "ETE-2359", "ETE-LENDEMAIN"}
    assert _references(until) == {"VEILLE-2330"}
