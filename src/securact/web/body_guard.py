"""The holder's role checked before a request body is read (issue 9, item 2).

The views check the role too (``bailiff_required``, ``recipient_required``), but only once
Django has read the body: ``CsrfViewMiddleware.process_view`` reads ``request.POST``, which
spools a whole upload to disk. This middleware comes right after the certificate
middleware (which sets ``request.identity``) and, for a request carrying a body, refuses
with the French 403 page a holder whose role may not use that part of the site, before any
byte of the body is read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext

from securact.core.request_limits import announced_length, is_chunked
from securact.pki.pages import refusal_page
from securact.vault.services import Standing

# Who may send a body to each part of the site (its URL namespace); a URL of no namespace
# listed (the language choice) is open to every signed-in holder.
NAMESPACE_ROLES: dict[str, frozenset[Standing]] = {
    "admin": frozenset({Standing.OPERATOR}),
    "portal": frozenset({Standing.RECIPIENT}),
    "datamessage": frozenset({Standing.BAILIFF, Standing.RECIPIENT}),
    "web": frozenset({Standing.BAILIFF}),
    # The vault (F7): its owner, bailiff or recipient.
    "vault_pages": frozenset({Standing.BAILIFF, Standing.RECIPIENT}),
}
# Within the bailiff's part, the certificate declaration (its own check in the view: a
# holder who confirms a second time, already declared, is sent home, not refused).
URL_ROLES: dict[str, frozenset[Standing]] = {
    "web:declaration": frozenset({Standing.TO_DECLARE, Standing.BAILIFF, Standing.RECIPIENT}),
    "web:renewal": frozenset({Standing.RENEWAL}),
}


def allowed_roles(path: str) -> frozenset[Standing] | None:
    """The roles that may send a body to ``path``; None: any (or no such page: a 404)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in URL_ROLES:
        return URL_ROLES[match.view_name]
    for namespace in match.namespaces:
        if namespace in NAMESPACE_ROLES:
            return NAMESPACE_ROLES[namespace]
    return None


class RoleBeforeBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        identity = getattr(request, "identity", None)
        if identity is not None and _has_body(request):
            roles = allowed_roles(request.path_info)
            if roles is not None and identity.standing not in roles:
                return refusal_page(
                    request,
                    gettext("Votre certificat ne permet pas d'envoyer ce formulaire."),
                    gettext(
                        "Ce formulaire est réservé à un autre type d'utilisateur de SECURACT : "
                        "retournez à votre page d'accueil."
                    ),
                )
        return self.get_response(request)


def _has_body(request: HttpRequest) -> bool:
    return bool(announced_length(request.META)) or is_chunked(request.META)
