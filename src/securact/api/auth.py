"""Who calls the API: the same mutual TLS as the pages (issue 13, item 1).

``ui.sign_in.ClientCertificateMiddleware`` has validated the client certificate and
identified its holder (``request.identity``) before any API view runs; a request without a
valid certificate, of an unknown holder or of a certificate still to declare never gets here
(it is answered with the API's JSON 403 by the middleware). :class:`CertificateAuth` is
ninja's authentication of an operation or router: it counts the request against the
certificate's rate limit (``api.rate_limit``: a French 429 with ``Retry-After``), then lets
through only the standings it serves (a French 403 for any other holder). The operation's
view gets the :class:`~securact.vault.services.Identity` as ``request.auth``.

Usage::

    router = Router(auth=CertificateAuth(Standing.BAILIFF, refusal=gettext_lazy("…")))
    identity = caller(request)  # in a view of that router
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja.security.base import AuthBase

from securact.api import rate_limit
from securact.api.errors import ApiRefusal
from securact.vault.services import Identity, Standing

_COUNTED = "_securact_api_counted"

# Operations often name the caller's role in their refusal; these are the defaults.
REFUSALS = {
    Standing.RECIPIENT: gettext_lazy(
        "Ce service est réservé aux destinataires, avec leur certificat."
    ),
    Standing.BAILIFF: gettext_lazy(
        "Ce service est réservé aux commissaires de justice, avec le certificat de leur étude."
    ),
}


class CertificateAuth(AuthBase):
    """The caller's client certificate (mutual TLS), for the given standings."""

    openapi_type = "mutualTLS"
    openapi_description = (
        "Certificat client présenté lors de la poignée de main TLS (TLS mutuel), le même "
        "que pour le site : certificat d'authentification de l'étude ou du destinataire, "
        "déclaré une première fois sur le site."
    )

    def __init__(self, *standings: Standing, refusal: Any = None) -> None:
        super().__init__()
        self.standings = frozenset(standings)
        self.refusal = refusal

    def __call__(self, request: HttpRequest) -> Identity:
        identity: Identity | None = getattr(request, "identity", None)
        if identity is None:  # pragma: no cover - the middleware answers before any view
            raise ApiRefusal(401, gettext("Présentez votre certificat d'authentification."))
        count_request(request, identity)
        if identity.standing not in self.standings:
            message = self.refusal or _default_refusal(self.standings)
            raise ApiRefusal(403, str(message))
        return identity


def _default_refusal(standings: frozenset[Standing]) -> str:
    if len(standings) == 1:
        (standing,) = standings
        if standing in REFUSALS:
            return str(REFUSALS[standing])
    return gettext("Votre certificat ne donne pas accès à ce service.")


def count_request(request: HttpRequest, identity: Identity) -> None:
    """Count the request once against its certificate's limit; past it, the French 429."""
    if getattr(request, _COUNTED, False):
        return
    setattr(request, _COUNTED, True)
    wait = rate_limit.hit(identity.certificate.fingerprint, time.time())
    if wait is not None:
        raise ApiRefusal(
            429,
            gettext("Trop de requêtes pour ce certificat : réessayez dans %(seconds)d secondes.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


def caller(request: HttpRequest) -> Identity:
    """The authenticated caller of an operation guarded by :class:`CertificateAuth`."""
    identity: Identity = request.auth  # type: ignore[attr-defined]
    return identity
