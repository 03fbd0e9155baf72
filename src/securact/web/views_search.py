"""Search (F5), detail (F6) and downloads of a signification: being written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from securact.web.access import bailiff_required
from securact.web.views import coming_soon


@bailiff_required
def search(request: HttpRequest) -> HttpResponse:
    return coming_soon(
        request,
        gettext("Rechercher une signification"),
        gettext("La recherche des significations arrive prochainement."),
    )


@bailiff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return coming_soon(
        request, gettext("Fiche détaillée"), gettext("La fiche détaillée arrive prochainement.")
    )


@bailiff_required
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    return coming_soon(
        request, gettext("Téléchargement"), gettext("Le téléchargement arrive prochainement.")
    )
