"""Search (F5), detail (F6) and downloads of a signification. Thin: what is found, shown
and served is decided in ``significations.queries``.

Search and detail cover the signed-in bailiff's practice; a file is served only from the
bailiff's own vault. Anything else is a 404 that says no more than "introuvable"."""

from __future__ import annotations

import logging
from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from securact.core.history import record_action
from securact.significations import downloads, queries
from securact.significations.models import Signification
from securact.ui.access import bailiff_of, bailiff_required, identity_of
from securact.ui.detail import filter_history, signification_detail
from securact.ui.filters import SignificationFilter
from securact.ui.tables import (
    BoundedPaginator,
    DocumentSearchPaginator,
    HistoryTable,
    SearchTable,
)
from securact.vault.models import StoredFile

logger = logging.getLogger(__name__)

PAGING = {"per_page": queries.PAGE_SIZE, "paginator_class": BoundedPaginator}
# *Passer en vue dans l'agenda* (F6): the dashboard's action that marks every notice of the
# signification viewed (POST, signification id). The button appears only if the URL exists.
AGENDA_URL_NAME = "web:dashboard-open"


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/detail_not_found.html", status=404)


def _kept(request: HttpRequest, *dropped: str) -> list[tuple[str, str]]:
    """The page's query parameters but ``dropped``: hidden fields of a filter box, so that
    filtering keeps the search, the sort and the page."""
    return [
        (name, value)
        for name, values in request.GET.lists()
        if name not in dropped
        for value in values
    ]


@bailiff_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    practice = bailiff_of(request).practice
    filterset = SignificationFilter(request.GET, queryset=queries.practice_significations(practice))
    context: dict[str, object] = {"form": filterset.form, "table": None}
    if filterset.is_valid():  # no query is run on criteria that are not
        table = SearchTable(filterset.qs, row_filter=request.GET.get("filtre", ""))
        paging = PAGING
        if filterset.form.cleaned_data.get("document"):
            paging = {**PAGING, "paginator_class": DocumentSearchPaginator}
        RequestConfig(request, paginate=paging).configure(table)
        context["table"] = table
        context["kept_parameters"] = _kept(request, "filtre")
    return render(request, "web/search.html", context)


def _url_if_any(name: str, pk: int) -> str | None:
    """The URL ``name`` of signification ``pk``, if another part of the interface has it."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


@bailiff_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    bailiff = bailiff_of(request)
    try:
        info = signification_detail(bailiff.practice, pk, viewer=bailiff)
    except Signification.DoesNotExist:
        return _not_found(request)
    history = HistoryTable(filter_history(info.history, request.GET.get("hfiltre", "")))
    RequestConfig(request, paginate=PAGING).configure(history)
    # The search that led here, re-encoded (only its query string is kept: no open redirect).
    back = QueryDict(request.GET.get("recherche", "")).urlencode()
    return render(
        request,
        "web/detail.html",
        {
            "info": info,
            "signification": info.signification,
            "history": history,
            "history_filter": request.GET.get("hfiltre", "")[: queries.FILTER_MAX_LENGTH],
            "kept_parameters": _kept(request, "hfiltre", "hpage"),
            "back_url": reverse("web:search") + (f"?{back}" if back else ""),
            "agenda_url": _url_if_any(AGENDA_URL_NAME, pk),
            "progress_url": _url_if_any("web:progress", pk),
        },
    )


@bailiff_required
@require_safe
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    vault = identity_of(request).vault
    if vault is None:  # pragma: no cover - a signed-in bailiff has a vault
        return _not_found(request)
    try:
        stored = downloads.bailiff_file(vault, pk, file_id)
    except StoredFile.DoesNotExist:
        return _not_found(request)
    try:
        handle = downloads.open_verified(stored)
    except downloads.FileDamaged as damaged:
        return render(
            request,
            "web/detail_file_damaged.html",
            {"stored": stored, "message": damaged.message, "signification_id": pk},
            status=409,
        )
    record_action(request, gettext("Téléchargement de %(name)s") % {"name": stored.name})
    logger.info("signification %s: file %s downloaded by its vault's owner", pk, stored.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.name,
        content_type=downloads.content_type(stored.name),
    )
    # A streamed response; ui.access types views as returning HttpResponse.
    return cast(HttpResponse, response)
