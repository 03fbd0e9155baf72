"""Public holidays, local zones, jours ouvrables and jours ouvrés (art. 642, 664 CPC)."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from securact.core.legal_calendar import (
    holiday_name,
    is_jour_ouvrable,
    is_jour_ouvre,
    is_public_holiday,
    local_zone,
    next_jour_ouvrable,
    next_jour_ouvre,
)

EASTER_MONDAY_2026 = date(2026, 4, 6)
GOOD_FRIDAY_2026 = date(2026, 4, 3)
SAINT_STEPHEN_2026 = date(2026, 12, 26)  # a Saturday


@pytest.mark.parametrize("department", ["75", "2A", "57", "67", "68", "971", "974", "", "zz"])
def test_easter_monday_is_a_holiday_everywhere(department: str) -> None:
    assert is_public_holiday(EASTER_MONDAY_2026, department)


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_good_friday_is_a_holiday_in_alsace_moselle(department: str) -> None:
    assert holiday_name(GOOD_FRIDAY_2026, department) == "Vendredi saint"


@pytest.mark.parametrize("department", ["75", "2A", "13", ""])
def test_good_friday_is_a_working_day_elsewhere_in_metropolitan_france(department: str) -> None:
    assert not is_public_holiday(GOOD_FRIDAY_2026, department)


def test_saint_stephen_is_a_holiday_in_alsace_but_not_in_paris() -> None:
    assert is_public_holiday(SAINT_STEPHEN_2026, "67")
    assert not is_public_holiday(SAINT_STEPHEN_2026, "75")


@pytest.mark.parametrize(
    ("department", "day"),
    [
        ("971", date(2026, 5, 27)),
        ("972", date(2026, 5, 22)),
        ("973", date(2026, 6, 10)),
        ("974", date(2026, 12, 20)),
    ],
)
def test_overseas_abolition_of_slavery_day_is_local(department: str, day: date) -> None:
    assert holiday_name(day, department) == "Abolition de l'esclavage"
    assert not is_public_holiday(day, "75")


def test_unknown_or_empty_department_gets_national_holidays_only() -> None:
    assert is_public_holiday(date(2027, 1, 1), "")
    assert not is_public_holiday(GOOD_FRIDAY_2026, "")
    assert not is_public_holiday(date(2026, 5, 27), "99")


def test_department_code_is_normalised() -> None:
    assert is_public_holiday(GOOD_FRIDAY_2026, " 57 ")
    assert local_zone("2a") == ZoneInfo("Europe/Paris")


def test_ordinary_day_has_no_holiday_name() -> None:
    assert holiday_name(date(2026, 4, 7), "75") is None


def test_holiday_names_follow_the_active_language() -> None:
    with translation.override("fr"):
        assert holiday_name(EASTER_MONDAY_2026, "75") == "Lundi de Pâques"
    with translation.override("en"):
        assert holiday_name(EASTER_MONDAY_2026, "75") == "Easter Monday"


@pytest.mark.parametrize(
    ("department", "zone"),
    [
        ("971", "America/Guadeloupe"),
        ("972", "America/Martinique"),
        ("973", "America/Cayenne"),
        ("974", "Indian/Reunion"),
        ("976", "Indian/Mayotte"),
        ("75", "Europe/Paris"),
        ("2A", "Europe/Paris"),
        ("57", "Europe/Paris"),
        ("", "Europe/Paris"),
    ],
)
def test_local_zone_of_each_department(department: str, zone: str) -> None:
    assert local_zone(department) == ZoneInfo(zone)


def test_saturday_is_ouvrable_but_not_ouvre() -> None:
    saturday = date(2026, 4, 11)
    assert is_jour_ouvrable(saturday, "75")
    assert not is_jour_ouvre(saturday, "75")


def test_sunday_is_neither_ouvrable_nor_ouvre() -> None:
    sunday = date(2026, 4, 12)
    assert not is_jour_ouvrable(sunday)
    assert not is_jour_ouvre(sunday)


def test_weekday_holiday_is_neither_ouvrable_nor_ouvre() -> None:
    assert not is_jour_ouvrable(EASTER_MONDAY_2026)
    assert not is_jour_ouvre(EASTER_MONDAY_2026)


def test_ordinary_tuesday_is_ouvrable_and_ouvre() -> None:
    assert is_jour_ouvrable(date(2026, 4, 7))
    assert is_jour_ouvre(date(2026, 4, 7))


def test_saint_stephen_saturday_is_ouvrable_in_paris_only() -> None:
    assert is_jour_ouvrable(SAINT_STEPHEN_2026, "75")
    assert not is_jour_ouvrable(SAINT_STEPHEN_2026, "67")


def test_next_jour_ouvrable_after_new_years_eve_skips_new_years_day() -> None:
    assert next_jour_ouvrable(date(2026, 12, 31)) == date(2027, 1, 2)


def test_next_jour_ouvre_after_new_years_eve_skips_the_weekend() -> None:
    assert next_jour_ouvre(date(2026, 12, 31)) == date(2027, 1, 4)


def test_next_jour_ouvrable_is_strictly_after_the_day() -> None:
    assert next_jour_ouvrable(date(2026, 4, 7)) == date(2026, 4, 8)


def test_next_jour_ouvrable_skips_sunday_and_easter_monday() -> None:
    assert next_jour_ouvrable(date(2026, 4, 4)) == date(2026, 4, 7)


def test_next_jour_ouvre_from_friday_is_monday() -> None:
    assert next_jour_ouvre(date(2026, 4, 10)) == date(2026, 4, 13)


def test_next_jour_ouvre_skips_good_friday_in_moselle_only() -> None:
    assert next_jour_ouvre(date(2026, 4, 2), "57") == date(2026, 4, 7)
    assert next_jour_ouvre(date(2026, 4, 2), "75") == date(2026, 4, 3)
