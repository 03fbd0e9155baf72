"""Who may open the vault pages: the signed-in owner of a vault, bailiff or recipient.

Every view finds the vault from the signed-in certificate's identity (``owner_vault``),
never from an id in the URL: a vault is reachable only by its owner (F7.1), and a file id
of another vault is looked up inside the owner's vault only, hence the same 404 as a
missing one."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from securact.pki.pages import refusal_page
from securact.ui.access import identity_of
from securact.vault.models import Vault
from securact.vault.services import Identity, Standing

View = Callable[..., HttpResponse]
OWNERS = frozenset({Standing.BAILIFF, Standing.RECIPIENT})


def vault_owner_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        identity = identity_of(request)
        if identity.standing not in OWNERS or identity.vault is None:
            return refusal_page(
                request,
                gettext("Le coffre-fort est réservé à son titulaire."),
                gettext(
                    "Connectez-vous avec le certificat auquel votre coffre-fort est rattaché "
                    "(celui de votre étude ou de votre organisme)."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper


def owner_vault(request: HttpRequest) -> Vault:
    """The signed-in holder's own vault (views decorated with ``vault_owner_required``)."""
    vault = identity_of(request).vault
    if vault is None:  # pragma: no cover - the decorator guarantees it
        raise PermissionError("no vault")
    return vault


def actor(request: HttpRequest) -> str:
    """The signed-in certificate's fingerprint: the actor journaled with every operation."""
    return identity_of(request).certificate.fingerprint


def is_bailiff(request: HttpRequest) -> bool:
    return identity_of(request).standing is Standing.BAILIFF


def identity(request: HttpRequest) -> Identity:
    return identity_of(request)
