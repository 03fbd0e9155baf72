"""Bailiff and recipient pages. Thin: the rules live in the apps' services."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from securact.core.history import record_action
from securact.pki.pages import refusal_page
from securact.vault.services import DeclarationRefused, Identity, Standing, declare_vault

logger = logging.getLogger(__name__)


def _identity(request: HttpRequest) -> Identity:
    identity: Identity = request.identity  # type: ignore[attr-defined]
    return identity


def _certificate_context(identity: Identity) -> dict[str, object]:
    return {"certificate": identity.certificate, "serial": str(identity.certificate.serial_number)}


@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest) -> HttpResponse:
    """First connection (F1.2): read the certificate, then confirm to create the vault."""
    identity = _identity(request)
    if identity.standing is not Standing.TO_DECLARE:
        return redirect("web:home")
    context = _certificate_context(identity)
    if request.method == "POST":
        try:
            vault = declare_vault(identity.certificate)
        except DeclarationRefused as refused:
            context["error"] = refused.message
            return render(request, "web/declaration.html", context, status=409)
        record_action(request, gettext("Déclaration du certificat et création du coffre-fort"))
        logger.info("vault %s declared for %s", vault.pk, identity.certificate.fingerprint)
        return redirect("web:home")
    return render(request, "web/declaration.html", context)


def renewal(request: HttpRequest) -> HttpResponse:
    identity = _identity(request)
    if identity.standing is not Standing.RENEWAL:
        return redirect("web:home")
    return render(request, "web/renewal.html", _certificate_context(identity))


def admin_login_refused(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's password form is replaced: operators come in with their certificate
    (signed in by the middleware); anyone else gets a French refusal."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=True):
            target = reverse("admin:index")
        return redirect(target)
    return refusal_page(
        request,
        gettext("L'administration de SECURACT est réservée aux opérateurs."),
        gettext(
            "Connectez-vous avec votre certificat d'opérateur : il n'existe pas de "
            "connexion par mot de passe."
        ),
    )
