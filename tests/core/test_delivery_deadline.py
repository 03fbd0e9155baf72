"""Delivery deadline (art. 662-1 CPC): ``24h`` (the manual) or ``same-day`` (Europe/Paris)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from securact.core.legal_calendar import delivery_deadline

PARIS = ZoneInfo("Europe/Paris")
GUADELOUPE = ZoneInfo("America/Guadeloupe")


def test_24h_deadline_is_exactly_24_hours_later_in_utc() -> None:
    sent = datetime(2026, 4, 7, 14, 30, 15, tzinfo=PARIS)
    deadline = delivery_deadline(sent, "24h")
    assert deadline == datetime(2026, 4, 8, 12, 30, 15, tzinfo=UTC)
    assert deadline.tzinfo is UTC


def test_24h_download_one_second_before_the_deadline_is_in_time() -> None:
    sent = datetime(2026, 4, 7, 14, 30, 15, tzinfo=UTC)
    deadline = delivery_deadline(sent, "24h")
    assert sent + timedelta(hours=23, minutes=59, seconds=59) < deadline
    assert deadline - (sent + timedelta(hours=23, minutes=59, seconds=59)) == timedelta(seconds=1)


def test_24h_download_one_second_after_the_deadline_is_late() -> None:
    sent = datetime(2026, 4, 7, 14, 30, 15, tzinfo=UTC)
    deadline = delivery_deadline(sent, "24h")
    assert sent + timedelta(hours=24, seconds=1) > deadline
    assert (sent + timedelta(hours=24, seconds=1)) - deadline == timedelta(seconds=1)


def test_24h_across_spring_forward_counts_elapsed_hours_not_wall_clock() -> None:
    # Sent at noon on 28 March 2026 (CET): 24 h later it is 13:00 CEST, not noon.
    sent = datetime(2026, 3, 28, 12, 0, tzinfo=PARIS)
    deadline = delivery_deadline(sent, "24h")
    assert deadline - sent == timedelta(hours=24)
    assert deadline.astimezone(PARIS).time() == time(13, 0)


def test_24h_across_fall_back_counts_elapsed_hours_not_wall_clock() -> None:
    sent = datetime(2026, 10, 24, 12, 0, tzinfo=PARIS)
    deadline = delivery_deadline(sent, "24h")
    assert deadline - sent == timedelta(hours=24)
    assert deadline.astimezone(PARIS).time() == time(11, 0)


def test_same_day_deadline_is_next_paris_midnight() -> None:
    sent = datetime(2026, 4, 7, 14, 30, tzinfo=PARIS)
    assert delivery_deadline(sent, "same-day") == datetime(2026, 4, 8, 0, 0, tzinfo=PARIS)


def test_same_day_uses_the_paris_date_not_the_utc_date() -> None:
    # 23:30 UTC on 7 April is already 01:30 on 8 April in Paris.
    sent = datetime(2026, 4, 7, 23, 30, tzinfo=UTC)
    assert delivery_deadline(sent, "same-day") == datetime(2026, 4, 9, 0, 0, tzinfo=PARIS)


def test_same_day_one_second_before_midnight_leaves_one_second() -> None:
    sent = datetime(2026, 4, 7, 23, 59, 59, tzinfo=PARIS)
    assert delivery_deadline(sent, "same-day") - sent == timedelta(seconds=1)


def test_same_day_on_spring_forward_day_lasts_23_hours() -> None:
    day_start = datetime(2026, 3, 29, 0, 0, tzinfo=PARIS)
    deadline = delivery_deadline(datetime(2026, 3, 29, 10, 0, tzinfo=PARIS), "same-day")
    assert deadline == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert deadline - day_start == timedelta(hours=23)


def test_same_day_on_fall_back_day_lasts_25_hours() -> None:
    day_start = datetime(2026, 10, 25, 0, 0, tzinfo=PARIS)
    deadline = delivery_deadline(datetime(2026, 10, 25, 10, 0, tzinfo=PARIS), "same-day")
    assert deadline == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert deadline - day_start == timedelta(hours=25)


def test_same_day_sent_at_midnight_on_fall_back_day_gets_25_hours() -> None:
    sent = datetime(2026, 10, 25, 0, 0, tzinfo=PARIS)
    assert delivery_deadline(sent, "same-day") - sent == timedelta(hours=25)


def test_same_day_on_new_years_eve_ends_at_new_years_midnight() -> None:
    sent = datetime(2026, 12, 31, 15, 0, tzinfo=PARIS)
    assert delivery_deadline(sent, "same-day") == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_24h_on_new_years_eve_ends_on_new_years_day() -> None:
    sent = datetime(2026, 12, 31, 15, 0, tzinfo=PARIS)
    assert delivery_deadline(sent, "24h") == datetime(2027, 1, 1, 15, 0, tzinfo=PARIS)


def test_same_day_can_follow_an_overseas_zone() -> None:
    sent = datetime(2026, 4, 7, 20, 0, tzinfo=GUADELOUPE)  # 02:00 on 8 April in Paris
    deadline = delivery_deadline(sent, "same-day", zone=GUADELOUPE)
    assert deadline == datetime(2026, 4, 8, 0, 0, tzinfo=GUADELOUPE)
    assert delivery_deadline(sent, "same-day") == datetime(2026, 4, 9, 0, 0, tzinfo=PARIS)


def test_naive_sending_time_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        delivery_deadline(datetime(2026, 4, 7, 14, 30), "24h")


@pytest.mark.parametrize("rule", ["", "48h", "SAME-DAY", "same_day"])
def test_unknown_rule_is_rejected(rule: str) -> None:
    with pytest.raises(ValueError, match="unknown delivery rule"):
        delivery_deadline(datetime(2026, 4, 7, 14, 30, tzinfo=UTC), rule)


SENDING_TIMES = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, PARIS, GUADELOUPE]),
    allow_imaginary=False,
)


@settings(database=None)
@given(SENDING_TIMES)
def test_same_day_deadline_is_the_next_paris_midnight_within_25_hours(sent: datetime) -> None:
    deadline = delivery_deadline(sent, "same-day")
    local = deadline.astimezone(PARIS)
    assert sent < deadline <= sent + timedelta(hours=25)
    assert local.time() == time(0, 0)
    assert local.date() == sent.astimezone(PARIS).date() + timedelta(days=1)
    assert deadline.utcoffset() == timedelta(0)


@settings(database=None)
@given(SENDING_TIMES)
def test_24h_deadline_is_always_24_elapsed_hours(sent: datetime) -> None:
    deadline = delivery_deadline(sent, "24h")
    assert deadline.astimezone(UTC) - sent.astimezone(UTC) == timedelta(hours=24)
