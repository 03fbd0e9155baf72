"""Session history (F1.4): the actions done since sign-in, kept in the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")
_SESSION_KEY = "securact_history"
_MAX_ENTRIES = 500


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    label: str

    @property
    def paris_time(self) -> str:
        return self.at.astimezone(PARIS).strftime("%H:%M:%S")


def record_action(request: HttpRequest, label: str) -> None:
    """Append one action to the session's history (oldest entries dropped past a bound)."""
    entries = list(request.session.get(_SESSION_KEY, []))
    entries.append([timezone.now().isoformat(), str(label)])
    request.session[_SESSION_KEY] = entries[-_MAX_ENTRIES:]


def reset_history(request: HttpRequest) -> None:
    request.session[_SESSION_KEY] = []


def session_history(request: HttpRequest) -> list[HistoryEntry]:
    """Most recent first."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    raw = session.get(_SESSION_KEY, [])
    return [HistoryEntry(datetime.fromisoformat(at), label) for at, label in reversed(raw)]
