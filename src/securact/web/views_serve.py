"""The service form (F3) and the live progress of the process (F3.7, F4): being written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from securact.web.access import bailiff_required
from securact.web.views import coming_soon


@bailiff_required
def serve(request: HttpRequest) -> HttpResponse:
    return coming_soon(
        request,
        gettext("Signification d'actes"),
        gettext(
            "Le formulaire de signification arrive prochainement ; en attendant, la "
            "commande « securact serve » signifie des actes avec votre clé."
        ),
    )
