"""R.211-4 CPCE: the bank answers at the latest on the first *jour ouvré* after the service
(the day of sending, in the recipient's zone, with its holidays); past the end of that day an
unanswered deposit is overdue, and a return deposited later is recorded as late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from securact.core.legal_calendar import PARIS
from securact.returns.deadlines import answer_deadline, answer_due_at, overdue_before
from securact.returns.releases import record_release
from securact.returns.services import submit_return
from securact.returns.status import answer_status, awaiting_answer, overdue_answers
from tests.factories import RecipientFactory
from tests.returns.conftest import BAILIFF_ACTOR, RECIPIENT_ACTOR, TWO_ACCOUNTS, Served


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A Paris wall-clock time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.mark.parametrize(
    ("sent_at", "department", "deadline"),
    [
        (paris(2026, 3, 10, 10, 30), "75", date(2026, 3, 11)),  # Tuesday → Wednesday
        (paris(2026, 3, 13, 18, 0), "75", date(2026, 3, 16)),  # Friday → Monday
        (paris(2026, 3, 14, 9, 0), "75", date(2026, 3, 16)),  # Saturday → Monday
        # Late on Monday evening in Paris is still Monday (UTC is the same day here).
        (paris(2026, 3, 9, 23, 59), "75", date(2026, 3, 10)),
        # Wednesday 31 December 2025 → Friday 2 January 2026 (1 January is a holiday).
        (datetime(2025, 12, 31, 10, tzinfo=UTC), "75", date(2026, 1, 2)),
        # Thursday 2 April 2026: Good Friday is a holiday in Alsace-Moselle only, Easter
        # Monday everywhere.
        (datetime(2026, 4, 2, 10, tzinfo=UTC), "75", date(2026, 4, 3)),
        (datetime(2026, 4, 2, 10, tzinfo=UTC), "67", date(2026, 4, 7)),
    ],
)
def test_first_jour_ouvre_after_the_service(
    sent_at: datetime, department: str, deadline: date
) -> None:
    assert answer_deadline(sent_at, department) == deadline


def test_the_service_day_is_the_recipients_local_day() -> None:
    # 23:30 UTC on Monday 9 March is already Tuesday 00:30 in Paris: answer by Wednesday.
    sent = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    assert answer_deadline(sent, "75") == date(2026, 3, 11)
    # The same instant is still Monday evening in Guadeloupe (UTC−4): answer by Tuesday.
    assert answer_deadline(sent, "971") == date(2026, 3, 10)


def test_due_at_the_end_of_the_deadline_day_across_a_clock_change() -> None:
    # Friday 27 March 2026 → Monday 30 March, after the switch to summer time (UTC+2).
    due = answer_due_at(datetime(2026, 3, 27, 9, tzinfo=UTC), "75")
    assert due == datetime(2026, 3, 30, 22, 0, tzinfo=UTC)  # Tuesday 00:00 in Paris


def test_overdue_before_matches_the_deadline_day_by_day() -> None:
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    at = datetime(2026, 3, 17, 9, tzinfo=UTC)  # Tuesday 17 March, 10:00 Paris
    bound = overdue_before(at, "75")
    for hours in range(0, 24 * 16, 5):
        sent = start + timedelta(hours=hours)
        assert (sent < bound) == (at >= answer_due_at(sent, "75")), sent


def test_status_overdue_then_late(served: Served, sealing: None) -> None:
    signification = served.make(sent_at=paris(2026, 3, 13, 18, 0))  # Friday evening
    monday_evening = paris(2026, 3, 16, 23, 59)
    tuesday_morning = paris(2026, 3, 17, 0, 0)
    status = answer_status(signification, at=monday_evening)
    assert status is not None
    assert status.deadline == date(2026, 3, 16)
    assert not status.overdue(monday_evening)
    assert status.overdue(tuesday_morning)
    recipient = signification.recipient
    assert list(overdue_answers(recipient, at=monday_evening)) == []
    assert list(overdue_answers(recipient, at=tuesday_morning)) == [signification]

    act_return = submit_return(
        signification.pk,
        recipient=recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=tuesday_morning,
    )
    assert act_return.deadline == date(2026, 3, 16)
    assert not act_return.on_time
    late = answer_status(signification, at=tuesday_morning)
    assert late is not None and late.late and not late.overdue(tuesday_morning)
    assert list(awaiting_answer(recipient, at=tuesday_morning)) == []


def test_awaiting_lists_only_what_still_expects_an_answer(served: Served) -> None:
    recipient = RecipientFactory()
    seizure = served.make(recipient=recipient)
    served.make(recipient=recipient, nature="signification-jugement")  # expects none
    served.make(recipient=recipient, sent_at=None)  # not deposited
    served.make()  # another recipient's
    released = served.make(recipient=recipient, bailiff=seizure.bailiff)
    mainlevee = served.make(
        recipient=recipient,
        bailiff=seizure.bailiff,
        nature="mainlevee-quittance",
        sent_at=paris(2026, 3, 12, 9, 0),
    )
    record_release(
        mainlevee.pk,
        released.pk,
        bailiff=seizure.bailiff,
        actor=BAILIFF_ACTOR,
        at=mainlevee.sent_at,
    )
    after = paris(2026, 3, 20, 9, 0)
    assert list(awaiting_answer(recipient, at=after)) == [seizure]
    assert list(overdue_answers(recipient, at=after)) == [seizure]
    # Before the mainlevée was served, the released seizure was still awaited.
    before = paris(2026, 3, 11, 9, 0)
    assert list(awaiting_answer(recipient, at=before)) == [seizure, released]
    status = answer_status(released, at=after)
    assert status is not None and status.released and not status.overdue(after)
    assert answer_status(mainlevee, at=after) is None  # a mainlevée expects no answer
