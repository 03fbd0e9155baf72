"""The one base class of French refusals, at the bottom of the layers (imports nothing).

Every error whose text is meant for a person — a bailiff's upload refused, a bank's return
refused, a step's reason on the process page — derives from ``Refusal``: entry points show
``message`` as is (never a traceback) and, when ``field`` is set, next to that form field.
"""

from __future__ import annotations


class Refusal(Exception):
    """``message`` is French text to show or record as is; ``field`` names the form field
    at fault, or is empty."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
