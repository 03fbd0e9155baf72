"""The vault's refusals: French text a bailiff or a recipient reads as is (F7)."""

from __future__ import annotations

from securact.core.errors import Refusal


class VaultRefusal(Refusal):
    """A vault operation refused; ``message`` says why, in French."""
