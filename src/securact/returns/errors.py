"""The refusals of act returns and mainlevée links: each carries its French ``message``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from securact.core.errors import Refusal


class ReturnRefused(Refusal):
    """The return is not accepted; ``message`` says why, in French."""


class ReturnNotFound(ReturnRefused):
    """No deposit of that id for this recipient (another's, missing, not deposited yet)."""


class ReturnUnavailable(ReturnRefused):
    """The platform could not seal the return now (TSA or revocation service down, seal
    misconfigured): nothing was recorded; the recipient sends it again later."""


class DeclarationInvalid(ReturnRefused):
    """The declaration's values are wrong: ``errors`` holds French messages by field
    (``protected_balance``, ``accounts.2.number``…)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(gettext("La déclaration comporte des erreurs : corrigez-les."))
        self.errors: dict[str, list[str]] = error.message_dict


class ReleaseRefused(ReturnRefused):
    """The mainlevée cannot be linked to that seizure."""
