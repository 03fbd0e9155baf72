"""The ``same-day`` rule (art. 662-1 CPC, "le jour de la transmission"): opened before
midnight in Paris ending the sending day → *à personne*; from midnight on → *à domicile*,
delivered at that midnight. Across midnight, and on the days the clocks change (last Sunday
of March: a 23-hour day; of October: a 25-hour day)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from securact.delivery.services import decide_at_deadline, record_opening
from securact.significations.models import DeliveryState
from tests.delivery.conftest import RECIPIENT_ACTOR, Deposits

SECOND = timedelta(seconds=1)

# (sent, midnight in Paris ending the sending day, in UTC)
CASES = {
    # Tuesday 10 March 2026, 23:59:59 in Paris (CET, UTC+1): one second before midnight.
    "just before midnight": (
        datetime(2026, 3, 10, 22, 59, 59, tzinfo=UTC),
        datetime(2026, 3, 10, 23, 0, tzinfo=UTC),
    ),
    # Sunday 29 March 2026, 01:30 CET; clocks go to 03:00 CEST; midnight is 22:00 UTC.
    "spring forward": (
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
    ),
    # Sunday 25 October 2026, 02:30 CEST (the first one); back to CET; midnight is 23:00 UTC.
    "fall back": (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
    ),
    # Saturday 24 October 2026, 23:30 CEST: the deadline falls after the change.
    "evening before fall back": (
        datetime(2026, 10, 24, 21, 30, tzinfo=UTC),
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_deadline_is_paris_midnight_ending_the_sending_day(deposits: Deposits, case: str) -> None:
    sent, midnight = CASES[case]
    assert deposits.make(sent, rule="same-day").delivery_deadline == midnight


@pytest.mark.parametrize("case", CASES)
def test_opened_one_second_before_midnight_is_in_person(deposits: Deposits, case: str) -> None:
    sent, midnight = CASES[case]
    signification = deposits.make(sent, rule="same-day")
    opened = max(sent, midnight - SECOND)
    delivery = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=opened)
    assert (delivery.state, delivery.delivered_at) == (DeliveryState.IN_PERSON, opened)


@pytest.mark.parametrize("case", CASES)
def test_opened_at_midnight_or_later_is_at_home(deposits: Deposits, case: str) -> None:
    sent, midnight = CASES[case]
    for opened in (midnight, midnight + SECOND):
        signification = deposits.make(sent, rule="same-day")
        delivery = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=opened)
        assert (delivery.state, delivery.delivered_at) == (DeliveryState.AT_HOME, midnight)
        assert delivery.opened_at == opened


def test_spring_forward_day_has_23_hours_and_fall_back_day_25(deposits: Deposits) -> None:
    # Sent at the first instant of each day (00:00 Paris): the deadline is the day's length.
    spring = deposits.make(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), rule="same-day")
    autumn = deposits.make(datetime(2026, 10, 24, 22, 0, tzinfo=UTC), rule="same-day")
    assert spring.delivery_deadline is not None and spring.sent_at is not None
    assert autumn.delivery_deadline is not None and autumn.sent_at is not None
    assert spring.delivery_deadline - spring.sent_at == timedelta(hours=23)
    assert autumn.delivery_deadline - autumn.sent_at == timedelta(hours=25)


@pytest.mark.parametrize("case", CASES)
def test_unopened_is_at_home_from_midnight(deposits: Deposits, case: str) -> None:
    sent, midnight = CASES[case]
    signification = deposits.make(sent, rule="same-day")
    assert decide_at_deadline(signification.pk, now=midnight - SECOND).state == "attente"
    delivery = decide_at_deadline(signification.pk, now=midnight)
    assert delivery.decided
    assert (delivery.state, delivery.delivered_at) == (DeliveryState.AT_HOME, midnight)
