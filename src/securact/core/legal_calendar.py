"""The legal calendar: public holidays, working days, legal hours and delivery deadlines.

Pure functions, no database. The rules (see ``/work/shared/LEGAL.md``):

* art. 664 CPC: no service before 06:00 or after 21:00, nor on Sundays and public holidays
  (*jours fériés ou chômés*), judged in the local time of the place of service;
* public holidays are computed by the ``holidays`` package, never listed by hand: the national
  ones, plus Good Friday and 26 December in Alsace-Moselle (57, 67, 68) and the
  abolition-of-slavery day in the overseas departments (971, 972, 973, 974, 976);
* *jour ouvrable* (art. 642 and 748-7 CPC, the ordinary letter of art. 662-1): Monday to
  Saturday except holidays; *jour ouvré* (R.211-4 CPCE, the bank's answer): Monday to Friday
  except holidays;
* art. 662-1 CPC: the delivery rule, ``24h`` (the original manual) or ``same-day``.

Times are stored in UTC; every legal decision is taken in Europe/Paris or in the overseas
department's own zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import get_language, gettext

PARIS = ZoneInfo("Europe/Paris")

#: Department → time zone, for the departments not on Paris time.
_OVERSEAS_ZONES: dict[str, ZoneInfo] = {
    "971": ZoneInfo("America/Guadeloupe"),
    "972": ZoneInfo("America/Martinique"),
    "973": ZoneInfo("America/Cayenne"),
    "974": ZoneInfo("Indian/Reunion"),
    "976": ZoneInfo("Indian/Mayotte"),
}

#: Department → subdivision code of ``holidays.France``. The package calls Alsace (67 and 68)
#: "6AE" and keys Moselle and the overseas departments by their own number.
_HOLIDAY_SUBDIVISIONS: dict[str, str] = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}

SUNDAY = 6
SATURDAY = 5

#: Art. 664 CPC: service is allowed from 06:00:00 (inclusive) to 21:00:00 (exclusive).
LEGAL_DAY_START = time(6)
LEGAL_DAY_END = time(21)

DELIVERY_RULE_24H = "24h"
DELIVERY_RULE_SAME_DAY = "same-day"
DELIVERY_RULES = (DELIVERY_RULE_24H, DELIVERY_RULE_SAME_DAY)

CODE_OK = "ok"
CODE_OUTSIDE_RECIPIENT_HOURS = "outside_recipient_hours"
CODE_NATURE_NOT_ACCEPTED = "nature_not_accepted"
CODE_LEGAL_HOURS = "legal_hours"
CODE_SUNDAY = "sunday"
CODE_PUBLIC_HOLIDAY = "public_holiday"


@dataclass(frozen=True)
class HourWindow:
    """A recipient's service hours for one act nature on one weekday (F3.3).

    ``weekday`` is 0 for Monday … 6 for Sunday, as ``date.weekday()``. ``start`` is inclusive
    and ``end`` exclusive, like the legal 21:00 limit of art. 664 CPC: a window 08:00–12:00
    allows 11:59:59 and refuses 12:00:00, so two adjacent windows 08:00–12:00 and 12:00–14:00
    never both claim noon. A window lies within one day (``start < end``).
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= SUNDAY:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.start >= self.end:
            raise ValueError(f"window start {self.start} must be before its end {self.end}")

    def contains(self, moment: time) -> bool:
        """True when the wall-clock ``moment`` is in ``[start, end)``."""
        return self.start <= moment.replace(tzinfo=None) < self.end


@dataclass(frozen=True)
class ServiceDecision:
    """May the act be served now? ``reason`` is a French sentence for the bailiff."""

    allowed: bool
    reason: str
    code: str


ALLOWED = ServiceDecision(allowed=True, reason="", code=CODE_OK)


def refused(code: str, reason: str) -> ServiceDecision:
    return ServiceDecision(allowed=False, reason=reason, code=code)


def require_aware(moment: datetime) -> datetime:
    """Return ``moment`` unchanged; a naive datetime has no defined instant, so refuse it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got the naive {moment.isoformat()}")
    return moment


def _normalise_department(department: str) -> str:
    return department.strip().upper()


def local_zone(department: str) -> ZoneInfo:
    """The department's legal time zone: its own overseas, Europe/Paris elsewhere."""
    return _OVERSEAS_ZONES.get(_normalise_department(department), PARIS)


def _holidays_language() -> str:
    # holidays guesses from the process locale when not told (C.UTF-8 gives English names):
    # follow the active Django language instead, French by default.
    language = get_language() or "fr"
    return "en_US" if language.startswith("en") else "fr"


@lru_cache(maxsize=256)
def _holiday_calendar(subdivision: str | None, year: int, language: str) -> holidays.HolidayBase:
    # Built once per (place, year, language): building a year costs about a millisecond.
    return holidays.country_holidays(
        "FR", subdiv=subdivision, years=year, language=language, expand=False
    )


def holiday_name(day: date, department: str) -> str | None:
    """The name of the public holiday on ``day`` in ``department``, or None.

    Unknown or empty departments get the national holidays only.
    """
    subdivision = _HOLIDAY_SUBDIVISIONS.get(_normalise_department(department))
    calendar = _holiday_calendar(subdivision, day.year, _holidays_language())
    return calendar.get(day)


def is_public_holiday(day: date, department: str) -> bool:
    """Art. 664 CPC *jour férié* in ``department`` (national, Alsace-Moselle, overseas)."""
    return holiday_name(day, department) is not None


def is_jour_ouvrable(day: date, department: str = "") -> bool:
    """*Jour ouvrable* (art. 642 CPC): Monday to Saturday, not a public holiday."""
    return day.weekday() != SUNDAY and not is_public_holiday(day, department)


def is_jour_ouvre(day: date, department: str = "") -> bool:
    """*Jour ouvré* (R.211-4 CPCE): Monday to Friday, not a public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day, department)


def next_jour_ouvrable(day: date, department: str = "") -> date:
    """The first *jour ouvrable* strictly after ``day`` (art. 662-1: the ordinary letter)."""
    candidate = day + timedelta(days=1)
    while not is_jour_ouvrable(candidate, department):
        candidate += timedelta(days=1)
    return candidate


def next_jour_ouvre(day: date, department: str = "") -> date:
    """The first *jour ouvré* strictly after ``day`` (R.211-4 CPCE: the bank's answer)."""
    candidate = day + timedelta(days=1)
    while not is_jour_ouvre(candidate, department):
        candidate += timedelta(days=1)
    return candidate


def delivery_deadline(sent_at: datetime, rule: str, *, zone: ZoneInfo = PARIS) -> datetime:
    """When an unopened act becomes delivered *à domicile*, in UTC.

    ``24h`` (the original manual): exactly 24 elapsed hours after sending. ``same-day``
    (art. 662-1 CPC, "le jour de la transmission"): the end of the sending day, i.e. local
    midnight starting the next calendar day in ``zone`` (Europe/Paris by default; an
    overseas recipient's zone may be given) — 23 or 25 hours after the day's start on the
    days the clocks change.
    """
    sent_utc = require_aware(sent_at).astimezone(UTC)
    if rule == DELIVERY_RULE_24H:
        # Add in UTC: aware arithmetic in a ZoneInfo zone is wall-clock arithmetic and would
        # give 23 or 25 real hours across a clock change.
        return sent_utc + timedelta(hours=24)
    if rule == DELIVERY_RULE_SAME_DAY:
        next_day = sent_utc.astimezone(zone).date() + timedelta(days=1)
        # Midnight is never skipped nor repeated in these zones (France changes at 02:00/03:00).
        return datetime.combine(next_day, time(0), tzinfo=zone).astimezone(UTC)
    raise ValueError(f"unknown delivery rule {rule!r}; expected one of {DELIVERY_RULES}")


def _as_common_noun(name: str) -> str:
    # French writes holiday names in lower case inside a sentence ("un jour férié (lundi de
    # Pâques)"); English keeps its capitals.
    if _holidays_language() == "fr":
        return name[:1].lower() + name[1:]
    return name


def check_legal_time(
    at: datetime,
    department: str,
    *,
    enforce_hours: bool = True,
    enforce_sundays: bool = True,
    enforce_holidays: bool = True,
) -> ServiceDecision:
    """Art. 664 CPC: may an act be served at ``at`` in ``department``?

    Judged in the department's local time: refused on public holidays, then on Sundays,
    then before 06:00:00 or from 21:00:00 on (06:00:00 and 20:59:59 are allowed). Each
    rule can be relaxed (a judge's leave, an operator setting).
    """
    local = require_aware(at).astimezone(local_zone(department))
    name = holiday_name(local.date(), department) if enforce_holidays else None
    if name is not None:
        return refused(
            CODE_PUBLIC_HOLIDAY,
            gettext("La signification est impossible un jour férié (%(name)s).")
            % {"name": _as_common_noun(name)},
        )
    if enforce_sundays and local.weekday() == SUNDAY:
        return refused(
            CODE_SUNDAY,
            gettext(
                "La signification est impossible le dimanche "
                "(art. 664 du code de procédure civile)."
            ),
        )
    if enforce_hours and not LEGAL_DAY_START <= local.time() < LEGAL_DAY_END:
        return refused(
            CODE_LEGAL_HOURS,
            gettext(
                "La signification est impossible avant 6 h ou après 21 h "
                "(art. 664 du code de procédure civile)."
            ),
        )
    return ALLOWED


def _format_time(moment: time) -> str:
    return f"{moment:%H}h{moment:%M}"


def _describe_windows(windows: Sequence[HourWindow]) -> str:
    """« de 08h00 à 12h00 et de 14h00 à 17h00 »."""
    parts = [
        gettext("de %(start)s à %(end)s")
        % {"start": _format_time(window.start), "end": _format_time(window.end)}
        for window in windows
    ]
    return f" {gettext('et')} ".join(parts)


def check_windows(at_local: datetime, windows: Sequence[HourWindow]) -> ServiceDecision:
    """F3.3: is ``at_local`` inside the recipient's service hours for this act nature?

    ``at_local`` is read as wall-clock time in the recipient's zone (its weekday and time of
    day). An empty list means the recipient takes this nature at any time; then only the
    legal calendar applies. Refusals repeat the original manual's message.
    """
    if not windows:
        return ALLOWED
    today = sorted(
        (window for window in windows if window.weekday == at_local.weekday()),
        key=lambda window: window.start,
    )
    if any(window.contains(at_local.time()) for window in today):
        return ALLOWED
    if not today:
        return refused(
            CODE_OUTSIDE_RECIPIENT_HOURS,
            gettext(
                "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le "
                "destinataire ne reçoit pas ce type d'acte."
            ),
        )
    return refused(
        CODE_OUTSIDE_RECIPIENT_HOURS,
        gettext(
            "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le "
            "destinataire ne reçoit que ce type d'acte selon les horaires suivants : "
            "%(windows)s."
        )
        % {"windows": _describe_windows(today)},
    )
