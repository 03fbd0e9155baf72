"""Art. 664 CPC: no service before 06:00, from 21:00, on Sundays or public holidays."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from securact.core.legal_calendar import check_legal_time

PARIS = ZoneInfo("Europe/Paris")
GUADELOUPE = ZoneInfo("America/Guadeloupe")
TUESDAY = (2026, 4, 7)


def test_nine_pm_exactly_is_refused() -> None:
    decision = check_legal_time(datetime(*TUESDAY, 21, 0, 0, tzinfo=PARIS), "75")
    assert not decision.allowed
    assert decision.code == "legal_hours"
    assert decision.reason == (
        "La signification est impossible avant 6 h ou après 21 h "
        "(art. 664 du code de procédure civile)."
    )


def test_one_second_before_nine_pm_is_allowed() -> None:
    decision = check_legal_time(datetime(*TUESDAY, 20, 59, 59, tzinfo=PARIS), "75")
    assert decision.allowed
    assert decision.code == "ok"
    assert decision.reason == ""


def test_one_second_before_six_am_is_refused() -> None:
    decision = check_legal_time(datetime(*TUESDAY, 5, 59, 59, tzinfo=PARIS), "75")
    assert decision.code == "legal_hours"


def test_six_am_exactly_is_allowed() -> None:
    assert check_legal_time(datetime(*TUESDAY, 6, 0, 0, tzinfo=PARIS), "75").allowed


def test_hours_are_judged_in_paris_whatever_zone_the_instant_carries() -> None:
    # 19:30 UTC is 21:30 in Paris (summer time): refused although "19:30" looks fine.
    decision = check_legal_time(datetime(*TUESDAY, 19, 30, tzinfo=UTC), "75")
    assert decision.code == "legal_hours"


def test_spring_forward_day_judges_hours_in_paris_summer_time() -> None:
    # 29 March 2026: 04:30 UTC is 06:30 CEST (allowed); under winter time it would be 05:30.
    at = datetime(2026, 3, 29, 4, 30, tzinfo=UTC)
    assert check_legal_time(at, "75", enforce_sundays=False).allowed
    assert check_legal_time(at - timedelta(hours=1), "75", enforce_sundays=False).code == (
        "legal_hours"
    )


def test_fall_back_day_judges_hours_in_paris_winter_time() -> None:
    # 25 October 2026: 05:30 UTC is 06:30 CET (allowed); 04:30 UTC is 05:30 CET (refused),
    # though it would have been 06:30 under summer time.
    assert check_legal_time(
        datetime(2026, 10, 25, 5, 30, tzinfo=UTC), "75", enforce_sundays=False
    ).allowed
    refused = check_legal_time(
        datetime(2026, 10, 25, 4, 30, tzinfo=UTC), "75", enforce_sundays=False
    )
    assert refused.code == "legal_hours"


def test_fall_back_day_refuses_at_nine_pm_winter_time() -> None:
    at = datetime(2026, 10, 25, 20, 0, tzinfo=UTC)  # 21:00 CET
    assert check_legal_time(at, "75", enforce_sundays=False).code == "legal_hours"
    assert check_legal_time(at - timedelta(seconds=1), "75", enforce_sundays=False).allowed


def test_sunday_is_refused() -> None:
    decision = check_legal_time(datetime(2026, 4, 12, 10, 0, tzinfo=PARIS), "75")
    assert decision.code == "sunday"
    assert decision.reason == (
        "La signification est impossible le dimanche (art. 664 du code de procédure civile)."
    )


def test_dst_change_days_are_sundays_and_refused() -> None:
    assert check_legal_time(datetime(2026, 3, 29, 10, tzinfo=PARIS), "75").code == "sunday"
    assert check_legal_time(datetime(2026, 10, 25, 10, tzinfo=PARIS), "75").code == "sunday"


@pytest.mark.parametrize("department", ["75", "57", "971", ""])
def test_easter_monday_is_refused_everywhere(department: str) -> None:
    zone = ZoneInfo("America/Guadeloupe") if department == "971" else PARIS
    decision = check_legal_time(datetime(2026, 4, 6, 10, 0, tzinfo=zone), department)
    assert decision.code == "public_holiday"
    assert decision.reason == "La signification est impossible un jour férié (lundi de Pâques)."


def test_good_friday_is_refused_in_moselle_but_allowed_in_paris() -> None:
    at = datetime(2026, 4, 3, 10, 0, tzinfo=PARIS)
    moselle = check_legal_time(at, "57")
    assert moselle.code == "public_holiday"
    assert moselle.reason == "La signification est impossible un jour férié (vendredi saint)."
    assert check_legal_time(at, "75").allowed


def test_saint_stephen_is_refused_in_bas_rhin_but_allowed_in_paris() -> None:
    at = datetime(2026, 12, 26, 10, 0, tzinfo=PARIS)
    assert check_legal_time(at, "67").code == "public_holiday"
    assert check_legal_time(at, "75").allowed


def test_new_years_day_is_refused() -> None:
    decision = check_legal_time(datetime(2027, 1, 1, 10, 0, tzinfo=PARIS), "75")
    assert decision.code == "public_holiday"
    assert "jour de l'an" in decision.reason


def test_abolition_day_is_refused_in_guadeloupe_only() -> None:
    at = datetime(2026, 5, 27, 10, 0, tzinfo=GUADELOUPE)
    decision = check_legal_time(at, "971")
    assert decision.code == "public_holiday"
    assert decision.reason == (
        "La signification est impossible un jour férié (abolition de l'esclavage)."
    )
    assert check_legal_time(at, "75").allowed


def test_overseas_hours_are_judged_in_the_local_zone() -> None:
    # 20:30 UTC on Monday 1 June 2026: 22:30 in Paris, 16:30 in Guadeloupe.
    at = datetime(2026, 6, 1, 20, 30, tzinfo=UTC)
    assert check_legal_time(at, "75").code == "legal_hours"
    assert check_legal_time(at, "971").allowed


def test_overseas_holiday_is_judged_on_the_local_date() -> None:
    # 02:00 UTC on 28 May is still 27 May (22:00) in Guadeloupe: the holiday, and too late.
    at = datetime(2026, 5, 28, 2, 0, tzinfo=UTC)
    assert check_legal_time(at, "971").code == "public_holiday"


def test_holiday_takes_precedence_over_sunday_and_hours() -> None:
    all_saints_sunday_night = datetime(2026, 11, 1, 23, 0, tzinfo=PARIS)
    assert check_legal_time(all_saints_sunday_night, "75").code == "public_holiday"


def test_relaxing_holidays_lets_sundays_still_be_refused() -> None:
    all_saints_sunday = datetime(2026, 11, 1, 10, 0, tzinfo=PARIS)
    assert check_legal_time(all_saints_sunday, "75", enforce_holidays=False).code == "sunday"


def test_each_rule_can_be_relaxed() -> None:
    assert check_legal_time(
        datetime(2026, 4, 6, 10, tzinfo=PARIS), "75", enforce_holidays=False
    ).allowed
    assert check_legal_time(
        datetime(2026, 4, 12, 10, tzinfo=PARIS), "75", enforce_sundays=False
    ).allowed
    assert check_legal_time(
        datetime(*TUESDAY, 23, 30, tzinfo=PARIS), "75", enforce_hours=False
    ).allowed


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        check_legal_time(datetime(*TUESDAY, 10, 0), "75")


@settings(database=None)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, PARIS, GUADELOUPE]),
    )
)
def test_hours_rule_allows_exactly_six_to_twenty_one_paris_time(at: datetime) -> None:
    decision = check_legal_time(at, "75", enforce_sundays=False, enforce_holidays=False)
    assert decision.allowed == (6 <= at.astimezone(PARIS).hour < 21)
