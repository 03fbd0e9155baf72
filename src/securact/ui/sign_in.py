"""Certificate sign-in on every request (F1.1).

The client certificate comes either from gunicorn, which terminates TLS itself (the
embedded default), or from nginx in front (``SECURACT_CLIENT_CERT_SOURCE=proxy``), which
forwards it in ``X-SSL-Client-Cert``. Those headers are believed only when the request
reaches us from a configured proxy (the unix socket, or a listed loopback address);
otherwise they are ignored, so a client cannot claim a certificate by sending a header.

Under ``/api/`` (issue 13) every refusal is the API's JSON error (``core.api_answers``), and
a machine keeps no session: the holder is identified on each request, nothing is written to
the session table, and a certificate still to declare is told so (403) instead of being
sent to the declaration page. The API's contract (``/api/v1/openapi.json``) and its
documentation page are public, like the journal's checkpoints: they hold no personal data.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from securact.core.api_answers import is_api, json_error
from securact.core.history import record_action, reset_history
from securact.pki.certificates import MalformedCertificate, pem_to_der
from securact.pki.pages import refusal_page
from securact.pki.services import refusal_text, validate_client_certificate
from securact.pki.session import SESSION_FINGERPRINT as _SESSION_FINGERPRINT
from securact.vault.services import UNKNOWN_REASONS, Identity, Standing, identify

logger = logging.getLogger(__name__)

_MALFORMED = b"\x00malformed"

# The journal's public checkpoints (issue 12, docs/evidence-log.md §2; journal_pages.urls):
# anyone may read them, without a certificate; they hold no personal data. Exactly these.
# The API's contract and its documentation page (issue 13), public as well.
PUBLIC_PATHS = re.compile(
    r"/journal/(?:checkpoint|checkpoints/(?:[0-9]+(?:\.tsr|/consistency)?)?|key\.pem)"
    r"|/api/v1/(?:openapi\.json|docs)"
)


def _from_trusted_proxy(request: HttpRequest) -> bool:
    trusted = settings.SECURACT_TRUSTED_PROXIES
    peer = request.META.get("gunicorn.socket")
    if peer is not None and getattr(peer, "family", None) == socket.AF_UNIX:
        return "unix" in trusted
    return request.META.get("REMOTE_ADDR", "") in trusted


def _certificate_from_proxy(request: HttpRequest) -> bytes | None:
    if not _from_trusted_proxy(request):
        return None
    if request.META.get("HTTP_X_SSL_CLIENT_VERIFY", "NONE") == "NONE":
        return None
    escaped = request.META.get("HTTP_X_SSL_CLIENT_CERT", "")
    if not escaped:
        return None
    if len(escaped) > settings.SECURACT_MAX_CERT_HEADER_BYTES:
        return _MALFORMED
    try:
        return pem_to_der(unquote(escaped, errors="strict").encode("ascii"))
    except (MalformedCertificate, UnicodeError):
        return _MALFORMED


def client_certificate(request: HttpRequest) -> bytes | None:
    """DER of the certificate the client presented over TLS, or None."""
    if settings.SECURACT_CLIENT_CERT_SOURCE == "proxy":
        return _certificate_from_proxy(request)
    peer = request.META.get("gunicorn.socket")
    getpeercert = getattr(peer, "getpeercert", None)
    if getpeercert is None:
        return None
    der = getpeercert(True)
    return bytes(der) if der else None


class ClientCertificateMiddleware:
    """Validates the certificate, identifies its holder and keeps the session in step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        if PUBLIC_PATHS.fullmatch(request.path):
            return self.get_response(request)
        verdict = validate_client_certificate(client_certificate(request))
        if not verdict.accepted or verdict.info is None:
            code = verdict.refusal or "malformed"
            return refusal_page(request, *refusal_text(code))
        identity = identify(verdict.info)
        if identity.standing is Standing.UNKNOWN:
            advice = str(_unknown_advice())
            return refusal_page(request, str(UNKNOWN_REASONS[identity.reason]), advice)
        if identity.standing is Standing.EDI and not is_api(request):
            # The practice's software calls the API; it has no pages (and no session).
            return refusal_page(request, *_edi_only())
        request.identity = identity  # type: ignore[attr-defined]
        if is_api(request):
            return self._api_route(identity) or self.get_response(request)
        self._follow_session(request, identity)
        return self._route(request, identity) or self.get_response(request)

    def _follow_session(self, request: HttpRequest, identity: Identity) -> None:
        """A new certificate on this session starts a new session (and a new history).

        The old session's data is dropped, not carried over (``flush``, not ``cycle_key``):
        another holder presenting the same cookie must not inherit the previous holder's
        draft, history or login."""
        fingerprint = identity.certificate.fingerprint
        if request.session.get(_SESSION_FINGERPRINT) != fingerprint:
            if request.user.is_authenticated:
                auth.logout(request)  # flushes the session too
            else:
                request.session.flush()
            reset_history(request)
            request.session[_SESSION_FINGERPRINT] = fingerprint
            record_action(request, gettext("Connexion au service SECURACT"))
            logger.info("sign-in %s (%s)", fingerprint, identity.standing)
        if identity.standing is Standing.OPERATOR and not request.user.is_authenticated:
            user = auth.authenticate(request, certificate_fingerprint=fingerprint)
            if user is not None:
                auth.login(request, user)
                request.session[_SESSION_FINGERPRINT] = fingerprint

    def _route(self, request: HttpRequest, identity: Identity) -> HttpResponse | None:
        """Send an undeclared certificate to the declaration (or renewal) page."""
        targets = {Standing.TO_DECLARE: "web:declaration", Standing.RENEWAL: "web:renewal"}
        target = targets.get(identity.standing)
        if target is None or request.path in (reverse(target), reverse("set_language")):
            return None
        return redirect(target)

    @staticmethod
    def _api_route(identity: Identity) -> HttpResponse | None:
        """A certificate not yet declared (or a renewal) is declared on the site first."""
        if identity.standing not in (Standing.TO_DECLARE, Standing.RENEWAL):
            return None
        return json_error(
            gettext(
                "Ce certificat n'est pas encore déclaré : connectez-vous une première fois au "
                "site SECURACT avec lui pour le déclarer, puis utilisez l'API."
            ),
            403,
        )


def _edi_only() -> tuple[str, str]:
    return (
        gettext(
            "Ce certificat est celui du logiciel EDI de votre étude : il donne accès à l'API "
            "de SECURACT, pas aux pages."
        ),
        gettext(
            "Connectez-vous aux pages avec votre certificat personnel de commissaire de "
            "justice ; le logiciel appelle l'API à l'adresse /api/v1/."
        ),
    )


def _unknown_advice() -> str:
    return gettext(
        "Contactez l'exploitant de SECURACT pour faire inscrire votre étude ou "
        "votre organisme, puis reconnectez-vous."
    )
