"""Errors of the platform seal, with a French message the process page can show as is."""

from __future__ import annotations

from securact.core.errors import Refusal


class SealError(Refusal):
    """Sealing or checking a seal failed; ``message`` (and ``str()``) is the French reason."""


class SealConfigurationError(SealError):
    """The seal key, its PIN or its certificate is missing or wrong: retrying will not help."""


class TokenKeyMissing(SealConfigurationError):
    """The token has no private key of the expected label and CKA_ID."""


class SealTransientError(SealError):
    """The timestamp authority could not be reached or refused for now: retry later."""


class SealVerificationError(SealError):
    """A sealed document does not verify (changed, forged, or not trusted)."""
