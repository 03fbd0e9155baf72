"""Which certificate a session belongs to: the middleware writes it when a certificate signs
in (a new certificate starts a new session); what is kept per session (the draft) reads it
to stay bound to the certificate that made it."""

from __future__ import annotations

from typing import Any

SESSION_FINGERPRINT = "securact_certificate"


def session_fingerprint(session: Any) -> str:
    """SHA-256 fingerprint of the certificate this session was signed in with ("" if none)."""
    return str(session.get(SESSION_FINGERPRINT) or "")
