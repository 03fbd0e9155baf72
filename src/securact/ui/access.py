"""Who may see a page: the middleware has identified the certificate's holder; views say
which holders they serve. Anyone else gets the French refusal page (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from securact.directory.models import Bailiff
from securact.pki.pages import refusal_page
from securact.vault.services import Identity, Standing

View = Callable[..., HttpResponse]


def identity_of(request: HttpRequest) -> Identity:
    identity: Identity = request.identity  # type: ignore[attr-defined]
    return identity


def bailiff_of(request: HttpRequest) -> Bailiff:
    """The signed-in bailiff (views decorated with ``bailiff_required`` only)."""
    bailiff = identity_of(request).bailiff
    if bailiff is None:  # pragma: no cover - the decorator guarantees it
        raise PermissionError("not a bailiff")
    return bailiff


def bailiff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        standing = identity_of(request).standing
        if standing is not Standing.BAILIFF:
            advice = (
                gettext(
                    "Vous êtes connecté avec le certificat d'un destinataire : les actes qui "
                    "vous sont signifiés sont dans votre espace destinataire (/destinataire/)."
                )
                if standing is Standing.RECIPIENT
                else gettext("Connectez-vous avec le certificat d'authentification de votre étude.")
            )
            return refusal_page(
                request, gettext("Cette page est réservée aux commissaires de justice."), advice
            )
        return view(request, *args, **kwargs)

    return wrapper
