"""F3.3: the recipient's service hours for an act nature, and the manual's refusal message."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from securact.core.legal_calendar import HourWindow, check_windows

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = 1
MORNING = HourWindow(TUESDAY, time(8, 0), time(12, 0))
AFTERNOON = HourWindow(TUESDAY, time(14, 0), time(17, 0))


def tuesday_at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 4, 7, hour, minute, second, tzinfo=PARIS)


def test_window_start_is_inclusive() -> None:
    assert check_windows(tuesday_at(8), [MORNING]).allowed


def test_window_allows_one_second_before_its_end() -> None:
    assert check_windows(tuesday_at(11, 59, 59), [MORNING]).allowed


def test_window_end_is_exclusive_with_the_manuals_message() -> None:
    decision = check_windows(tuesday_at(12), [MORNING])
    assert not decision.allowed
    assert decision.code == "outside_recipient_hours"
    assert decision.reason == (
        "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le destinataire "
        "ne reçoit que ce type d'acte selon les horaires suivants : de 08h00 à 12h00."
    )


def test_several_windows_are_listed_in_order_of_the_day() -> None:
    decision = check_windows(tuesday_at(13), [AFTERNOON, MORNING])
    assert decision.reason.endswith(
        "selon les horaires suivants : de 08h00 à 12h00 et de 14h00 à 17h00."
    )


def test_message_lists_only_the_windows_of_that_weekday() -> None:
    wednesday = HourWindow(2, time(9, 30), time(10, 0))
    decision = check_windows(tuesday_at(7), [MORNING, wednesday])
    assert decision.reason.endswith(": de 08h00 à 12h00.")


def test_second_window_of_the_day_allows_service() -> None:
    assert check_windows(tuesday_at(15), [MORNING, AFTERNOON]).allowed


def test_no_window_that_weekday_means_no_service_that_day() -> None:
    monday_only = HourWindow(0, time(8, 0), time(12, 0))
    decision = check_windows(tuesday_at(10), [monday_only])
    assert decision.code == "outside_recipient_hours"
    assert decision.reason == (
        "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le destinataire "
        "ne reçoit pas ce type d'acte."
    )


def test_empty_window_list_means_any_time() -> None:
    assert check_windows(tuesday_at(3), []).allowed


def test_window_uses_wall_clock_of_the_given_local_time() -> None:
    reunion = ZoneInfo("Indian/Reunion")
    assert check_windows(datetime(2026, 4, 7, 9, 0, tzinfo=reunion), [MORNING]).allowed


@pytest.mark.parametrize("weekday", [-1, 7])
def test_window_weekday_must_be_monday_to_sunday(weekday: int) -> None:
    with pytest.raises(ValueError, match="weekday"):
        HourWindow(weekday, time(8), time(12))


@pytest.mark.parametrize(("start", "end"), [(time(12), time(8)), (time(8), time(8))])
def test_window_must_start_before_it_ends(start: time, end: time) -> None:
    with pytest.raises(ValueError, match="before its end"):
        HourWindow(TUESDAY, start, end)
