"""The R.211-4 CPCE deadline of an answer: when served electronically, the bank answers « au
plus tard le premier jour ouvré suivant la signification ».

* The service day is the day of sending (art. 664-1 CPC: sending time = service time), in the
  recipient's legal zone (Europe/Paris, or its overseas department's), with its holidays
  (Alsace-Moselle adds Good Friday and 26 December).
* *Jour ouvré*: Monday to Friday, not a public holiday (``core.legal_calendar``). A
  garnishment served on Friday is answered by Monday; on the eve of a holiday, by the
  working day after it.
* The answer is due by the end of that day (local midnight), and is *overdue* from then on
  while no return is deposited; a return deposited later is recorded as late (R.211-5: a
  late or missing answer may cost the bank the debt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from securact.core.legal_calendar import local_zone, next_jour_ouvre, require_aware
from securact.significations.models import Signification


def answer_deadline(sent_at: datetime, department: str = "") -> date:
    """The last day (local) to answer a signification sent at ``sent_at``."""
    served_day = require_aware(sent_at).astimezone(local_zone(department)).date()
    return next_jour_ouvre(served_day, department)


def end_of_day(day: date, department: str = "") -> datetime:
    """The instant (UTC) ``day`` ends in the department's zone: the next local midnight
    (never skipped nor repeated in French zones, which change clocks at 02:00/03:00)."""
    zone = local_zone(department)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def answer_due_at(sent_at: datetime, department: str = "") -> datetime:
    """The instant (UTC) from which an unanswered signification is overdue."""
    return end_of_day(answer_deadline(sent_at, department), department)


def overdue_before(at: datetime, department: str = "") -> datetime:
    """Significations sent before this instant are overdue at ``at`` when unanswered: a
    filter the database can use (``sent_at__lt``), for one department's calendar.

    ``answer_deadline`` never decreases with the service day, so the overdue service days are
    exactly those up to the last day ``d`` whose deadline is before today."""
    zone = local_zone(department)
    today = require_aware(at).astimezone(zone).date()
    last = today - timedelta(days=1)
    while next_jour_ouvre(last, department) >= today:
        last -= timedelta(days=1)
    return end_of_day(last, department)


@dataclass(frozen=True)
class AnswerStatus:
    """Where a signification that expects an answer stands, for the recipient's portal and
    the bailiff's detail."""

    deadline: date
    due_at: datetime  # UTC: the end of the deadline day
    answered_at: datetime | None
    released: bool  # a mainlevée was served: no answer expected any more

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def late(self) -> bool:
        """Answered after the deadline."""
        return self.answered_at is not None and self.answered_at >= self.due_at

    def overdue(self, at: datetime) -> bool:
        """Still unanswered at ``at``, past the deadline, and not released."""
        return self.answered_at is None and not self.released and at >= self.due_at


def status_of(
    signification: Signification, *, answered_at: datetime | None, released: bool
) -> AnswerStatus | None:
    """None when the signification expects no answer (its nature, or not served yet)."""
    if signification.sent_at is None or not signification.nature.expects_return:
        return None
    return status_at(
        signification.sent_at,
        signification.recipient.department,
        answered_at=answered_at,
        released=released,
    )


def status_at(
    sent_at: datetime, department: str, *, answered_at: datetime | None, released: bool
) -> AnswerStatus:
    deadline = answer_deadline(sent_at, department)
    return AnswerStatus(
        deadline=deadline,
        due_at=end_of_day(deadline, department),
        answered_at=answered_at,
        released=released,
    )
