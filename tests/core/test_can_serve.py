"""F3.3: ``can_serve`` — nature accepted, then the legal calendar, then the recipient's hours."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pytest_django import Settings

from securact.core.legal_calendar import HourWindow
from securact.core.services import can_serve

PARIS = ZoneInfo("Europe/Paris")
SAISIE_VENTE = "saisie-vente"
SAISIE_ATTRIBUTION = "saisie-attribution"
TUESDAY_MORNING = HourWindow(1, time(8, 0), time(12, 0))


@dataclass(frozen=True)
class FakeRecipient:
    """Implements ``ServableRecipient``: natures mapped to their windows."""

    department: str = "75"
    windows: Mapping[str, list[HourWindow]] = field(default_factory=dict)

    def service_windows_for(self, nature: str) -> list[HourWindow] | None:
        return self.windows.get(nature)


BANK = FakeRecipient(windows={SAISIE_VENTE: [TUESDAY_MORNING], SAISIE_ATTRIBUTION: []})


def test_nature_not_accepted_is_refused() -> None:
    decision = can_serve(BANK, "mainlevée", datetime(2026, 4, 7, 10, 0, tzinfo=PARIS))
    assert not decision.allowed
    assert decision.code == "nature_not_accepted"
    assert decision.reason == "Ce destinataire n'accepte pas ce type d'acte."


def test_nature_not_accepted_is_reported_before_the_legal_calendar() -> None:
    sunday = datetime(2026, 4, 12, 10, 0, tzinfo=PARIS)
    assert can_serve(BANK, "mainlevée", sunday).code == "nature_not_accepted"


def test_outside_the_window_is_refused_with_the_manuals_message() -> None:
    decision = can_serve(BANK, SAISIE_VENTE, datetime(2026, 4, 7, 14, 30, tzinfo=PARIS))
    assert decision.code == "outside_recipient_hours"
    assert decision.reason == (
        "Vous ne pouvez actuellement transmettre de signification, aujourd'hui le destinataire "
        "ne reçoit que ce type d'acte selon les horaires suivants : de 08h00 à 12h00."
    )


def test_inside_the_window_is_allowed() -> None:
    decision = can_serve(BANK, SAISIE_VENTE, datetime(2026, 4, 7, 10, 0, tzinfo=PARIS))
    assert decision.allowed
    assert decision.code == "ok"


def test_window_is_judged_in_paris_time_for_a_utc_instant() -> None:
    # 06:30 UTC is 08:30 in Paris (summer time): inside the 08:00–12:00 window.
    assert can_serve(BANK, SAISIE_VENTE, datetime(2026, 4, 7, 6, 30, tzinfo=UTC)).allowed


def test_no_windows_means_any_legal_time() -> None:
    late_evening = datetime(2026, 4, 7, 20, 59, 59, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, late_evening).allowed


def test_no_windows_still_refuses_after_nine_pm() -> None:
    nine_pm = datetime(2026, 4, 7, 21, 0, 0, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, nine_pm).code == "legal_hours"


def test_legal_calendar_is_checked_before_the_windows() -> None:
    always = [HourWindow(day, time(0), time(23, 59, 59)) for day in range(7)]
    recipient = FakeRecipient(windows={SAISIE_VENTE: always})
    sunday = datetime(2026, 4, 12, 10, 0, tzinfo=PARIS)
    assert can_serve(recipient, SAISIE_VENTE, sunday).code == "sunday"


def test_recipient_department_holidays_apply() -> None:
    good_friday = datetime(2026, 4, 3, 10, 0, tzinfo=PARIS)
    moselle = FakeRecipient(department="57", windows={SAISIE_ATTRIBUTION: []})
    assert can_serve(moselle, SAISIE_ATTRIBUTION, good_friday).code == "public_holiday"
    assert can_serve(BANK, SAISIE_ATTRIBUTION, good_friday).allowed


def test_overseas_recipient_is_judged_in_its_own_zone() -> None:
    # 13:00 UTC on Monday 1 June 2026 is 09:00 in Guadeloupe but 15:00 in Paris.
    monday_morning = HourWindow(0, time(8, 0), time(12, 0))
    guadeloupe = FakeRecipient(department="971", windows={SAISIE_VENTE: [monday_morning]})
    at = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    assert can_serve(guadeloupe, SAISIE_VENTE, at).allowed
    paris = FakeRecipient(department="75", windows={SAISIE_VENTE: [monday_morning]})
    assert can_serve(paris, SAISIE_VENTE, at).code == "outside_recipient_hours"


def test_relaxed_legal_hours_setting_allows_late_service(settings: Settings) -> None:
    late = datetime(2026, 4, 7, 22, 30, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, late).code == "legal_hours"
    settings.SECURACT_ENFORCE_LEGAL_HOURS = False
    assert can_serve(BANK, SAISIE_ATTRIBUTION, late).allowed


def test_relaxed_sundays_setting_allows_sunday_service(settings: Settings) -> None:
    sunday = datetime(2026, 4, 12, 10, 0, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, sunday).code == "sunday"
    settings.SECURACT_ENFORCE_SUNDAYS = False
    assert can_serve(BANK, SAISIE_ATTRIBUTION, sunday).allowed


def test_relaxed_holidays_setting_allows_holiday_service(settings: Settings) -> None:
    easter_monday = datetime(2026, 4, 6, 10, 0, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, easter_monday).code == "public_holiday"
    settings.SECURACT_ENFORCE_HOLIDAYS = False
    assert can_serve(BANK, SAISIE_ATTRIBUTION, easter_monday).allowed


def test_relaxing_one_rule_keeps_the_others(settings: Settings) -> None:
    settings.SECURACT_ENFORCE_HOLIDAYS = False
    all_saints_sunday = datetime(2026, 11, 1, 10, 0, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_ATTRIBUTION, all_saints_sunday).code == "sunday"


def test_relaxed_legal_calendar_still_applies_the_windows(settings: Settings) -> None:
    settings.SECURACT_ENFORCE_LEGAL_HOURS = False
    late_tuesday = datetime(2026, 4, 7, 22, 30, tzinfo=PARIS)
    assert can_serve(BANK, SAISIE_VENTE, late_tuesday).code == "outside_recipient_hours"


def test_defaults_to_now(monkeypatch: pytest.MonkeyPatch) -> None:
    sunday = datetime(2026, 4, 12, 10, 0, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: sunday)
    assert can_serve(BANK, SAISIE_ATTRIBUTION).code == "sunday"
    tuesday = datetime(2026, 4, 7, 10, 0, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: tuesday)
    assert can_serve(BANK, SAISIE_ATTRIBUTION).allowed


def test_naive_instant_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        can_serve(BANK, SAISIE_VENTE, datetime(2026, 4, 7, 10, 0))
