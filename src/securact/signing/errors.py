"""What can go wrong while signing, each with a French message for the bailiff or operator.

Three families, because each calls for a different reaction:

- ``SigningRefused``: the bailiff's token said no (wrong PIN, locked, absent). The request
  shows the message and the form can be resubmitted; nothing is retried automatically.
- ``SigningTransientError``: a network service (TSA, OCSP, CRL) did not answer. The process
  engine retries the same step with backoff; the pending signature stays valid.
- ``SigningFailed``: retrying cannot help (broken input, certificate revoked or untrusted,
  signature value that does not match the certificate).
"""

from __future__ import annotations

from django.utils.translation import gettext

from securact.core.errors import Refusal


class SigningError(Refusal):
    """Base class: ``message`` is the French text to show or record."""


class SigningRefused(SigningError):
    """The token refused to sign."""


class TokenPinIncorrect(SigningRefused):
    def __init__(self, *, final_try: bool = False) -> None:
        message = gettext("Code PIN incorrect. Vérifiez-le et recommencez.")
        if final_try:
            message += " " + gettext("Attention : un nouvel échec bloquera votre clé de signature.")
        super().__init__(message)


class TokenLocked(SigningRefused):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Le code PIN de votre clé est bloqué après trop d'essais. "
                "Débloquez-le avec le code PUK (outil de votre fournisseur de certificat)."
            )
        )


class TokenUnavailable(SigningRefused):
    def __init__(self, detail: str | None = None) -> None:
        message = gettext("La clé de signature est indisponible.")
        if detail:
            message += " " + detail
        super().__init__(message)


class TokenBusy(TokenUnavailable):
    """The token failed for a reason that is not the PIN nor its absence (PKCS#11
    ``CKR_GENERAL_ERROR``…, seen under concurrent use): the same call is retried."""

    def __init__(self) -> None:
        super().__init__(gettext("Elle est momentanément occupée ; réessayez dans un instant."))


class SigningTransientError(SigningError):
    """A timestamp or revocation service is unreachable: retry later, nothing is lost."""

    def __init__(self, detail: str | None = None) -> None:
        message = gettext(
            "Le service d'horodatage ou de vérification des certificats est momentanément "
            "injoignable ; la signature sera finalisée dès son retour."
        )
        if detail:
            message += " (" + detail + ")"
        super().__init__(message)


class SigningFailed(SigningError):
    """A permanent failure: retrying the same step cannot succeed."""
