from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from securact.core.history import session_history


def securact(request: HttpRequest) -> dict[str, Any]:
    """What every page shows: the signed-in party and the session history (F1.4)."""
    return {
        "identity": getattr(request, "identity", None),
        "session_history": session_history(request),
    }
