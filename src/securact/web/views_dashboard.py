"""The dashboard (F2, *tableau de bord / agenda*): the start page. Thin: the rules live in
``securact.dashboard.services``.

URLs (namespace ``web``)
    ``/`` (``home``): the four categories with their unviewed counts; ``?categorie=CODE``
    opens that category's table without JavaScript, with ``page``, ``lignes`` (10/25/50),
    ``tri`` (``date``, ``-date``, ``reference``, …) and ``filtre``.
    ``agenda/<category>/`` (``dashboard-table``): the table alone, for htmx (the same query
    parameters); a plain browser request is sent to ``/?categorie=…``.
    ``agenda/notifications/<id>/vu/`` (``dashboard-seen``), POST: the eye.
    ``agenda/significations/<id>/ouvrir/`` (``dashboard-open``), POST: the magnifier and
    *Passer en vue dans l'agenda*: every notice of the signification is marked viewed, then
    303 to the detail page (``web:detail``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from securact.core.history import record_action
from securact.dashboard.models import Category
from securact.dashboard.services import (
    PER_PAGE_CHOICES,
    CategoryPage,
    NoticeNotFound,
    NoticeRow,
    category_page,
    mark_signification_viewed,
    mark_viewed,
    unviewed_counts,
)
from securact.directory.models import Bailiff
from securact.ui.access import bailiff_of, bailiff_required, identity_of
from securact.vault.services import Standing

# Query parameters (French, they show in the address bar).
CATEGORY, PAGE, PER_PAGE, SORT, FILTER = "categorie", "page", "lignes", "tri", "filtre"
# Table column → sort key of the service.
SORT_KEYS = {
    "reference": "reference",
    "deposited_at": "date",
    "deposited_file": "file",
    "recipient": "recipient",
    "event": "event",
}


class NoticeTable(tables.Table):  # type: ignore[misc]  # django-tables2 ships no type hints
    """The columns of the manual's table; ordering and paging are the service's (SQL)."""

    reference = tables.Column(verbose_name=gettext_lazy("Référence de dépôt"))
    deposited_at = tables.Column(verbose_name=gettext_lazy("Date de dépôt"))
    deposited_file = tables.Column(verbose_name=gettext_lazy("Fichier déposé"))
    recipient = tables.Column(verbose_name=gettext_lazy("Destinataire"))
    event = tables.Column(verbose_name=gettext_lazy("Événement"))

    class Meta:
        orderable = False

    def render_reference(self, value: str) -> SafeString:
        return format_html('<span class="dash-clip" title="{0}">{0}</span>', value)

    def render_deposited_at(self, value: Any) -> SafeString:
        return format_html(
            '<time class="dash-date" datetime="{}">{} <span class="dash-time">{}</span></time>',
            value.isoformat(),
            value.strftime("%d/%m/%Y"),
            value.strftime("%H:%M"),
        )

    def render_event(self, value: str) -> SafeString:
        return format_html('<span class="dash-clip" title="{0}">{0}</span>', value)

    def render_deposited_file(self, value: str, record: NoticeRow) -> SafeString:
        more = record.file_count - 1
        if more <= 0:
            return format_html('<span class="dash-clip" title="{0}">{0}</span>', value)
        extra = gettext("et %(count)d autre(s) fichier(s)") % {"count": more}
        return format_html(
            '<span class="dash-clip" title="{0} ({1})">{0}</span> <span class="dash-more">+{2}'
            '<span class="dash-sr"> {1}</span></span>',
            value,
            extra,
            more,
        )


def _query(**params: Any) -> str:
    return urlencode({key: value for key, value in params.items() if value not in ("", None)})


class _Links:
    """Where each control of one category's table leads: the full page (without JavaScript)
    and the table fragment (htmx), with the table's state kept."""

    def __init__(self, page: CategoryPage) -> None:
        self.page = page
        self.fragment = reverse("web:dashboard-table", args=[page.category.value])

    def _params(self, **changes: Any) -> dict[str, Any]:
        params = {
            PAGE: self.page.number,
            PER_PAGE: self.page.per_page,
            SORT: self.page.sort,
            FILTER: self.page.filter_text,
        }
        params.update(changes)
        return params

    def to(self, **changes: Any) -> dict[str, str]:
        params = self._params(**changes)
        full = _query(**{CATEGORY: self.page.category.value}, **params)
        return {
            "href": f"{reverse('web:home')}?{full}#cat-{self.page.category.value}",
            "hx": f"{self.fragment}?{_query(**params)}",
        }


def _headers(table: NoticeTable, page: CategoryPage, links: _Links) -> list[dict[str, Any]]:
    headers = []
    for column in table.columns:
        key = SORT_KEYS[column.name]
        current = page.sort.removeprefix("-") == key
        descending = page.sort.startswith("-")
        headers.append(
            {
                "label": column.header,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "arrow": ("▼" if descending else "▲") if current else "",
                **links.to(**{SORT: page.sort_for(key), PAGE: 1}),
            }
        )
    return headers


def _pager(page: CategoryPage, links: _Links) -> list[dict[str, Any]]:
    """`<< < 1 2 > >>`: each entry with its label, accessible name and links."""

    def entry(label: str, name: str, number: int, enabled: bool, **flags: bool) -> dict[str, Any]:
        return {
            "label": label,
            "name": name,
            "enabled": enabled,
            **flags,
            **links.to(**{PAGE: number}),
        }

    last = page.num_pages
    items = [
        entry("«", gettext("Première page"), 1, page.has_previous),
        entry("‹", gettext("Page précédente"), page.number - 1, page.has_previous),
    ]
    for number in page.page_numbers:
        name = gettext("Page %(number)d") % {"number": number}
        items.append(entry(str(number), name, number, True, current=number == page.number))
    items += [
        entry("›", gettext("Page suivante"), page.number + 1, page.has_next),
        entry("»", gettext("Dernière page"), last, page.has_next),
    ]
    return items


def _table_context(page: CategoryPage) -> dict[str, Any]:
    table = NoticeTable(page.rows)
    links = _Links(page)
    return {
        "page": page,
        "table": table,
        "headers": _headers(table, page, links),
        "pager": _pager(page, links),
        "per_page_choices": PER_PAGE_CHOICES,
        "fragment_url": links.fragment,
    }


def _page_from(bailiff: Bailiff, category: str, params: QueryDict) -> CategoryPage:
    return category_page(
        bailiff,
        category,
        page=params.get(PAGE),
        per_page=params.get(PER_PAGE),
        sort=params.get(SORT),
        filter_text=params.get(FILTER),
    )


def _categories(counts: dict[str, int], open_code: str = "") -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "label": label,
            "count": counts[code],
            "open": code == open_code,
            "fragment_url": reverse("web:dashboard-table", args=[code]),
        }
        for code, label in Category.choices
    ]


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard_not_found.html", status=404)


def _see_other(url: str) -> HttpResponse:
    """303: after a POST, the browser GETs the next page."""
    response = redirect(url)
    response.status_code = 303
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the dashboard for a bailiff, the recipient's deposits (its portal) for
    a recipient, a welcome for an operator."""
    standing = identity_of(request).standing
    if standing is Standing.RECIPIENT:
        return redirect("portal:deposits")
    if standing is not Standing.BAILIFF:
        return render(request, "web/home.html")
    bailiff = bailiff_of(request)
    open_code = request.GET.get(CATEGORY, "")
    context: dict[str, Any] = {}
    if open_code in Category.values:
        context.update(_table_context(_page_from(bailiff, open_code, request.GET)))
    else:
        open_code = ""
    context["categories"] = _categories(unviewed_counts(bailiff), open_code)
    return render(request, "web/home.html", context)


@bailiff_required
@require_GET
def table(request: HttpRequest, category: str) -> HttpResponse:
    """One category's table (htmx); a browser without JavaScript gets the whole page."""
    if category not in Category.values:
        return not_found(request)
    if not getattr(request, "htmx", False):
        query = request.GET.copy()
        query[CATEGORY] = category
        return redirect(f"{reverse('web:home')}?{query.urlencode()}#cat-{category}")
    page = _page_from(bailiff_of(request), category, request.GET)
    return render(request, "web/dashboard_table.html", _table_context(page))


@bailiff_required
@require_POST
def seen(request: HttpRequest, pk: int) -> HttpResponse:
    """The eye: the notice leaves the list; the table comes back without it (htmx) and the
    four counts are updated out of band."""
    bailiff = bailiff_of(request)
    try:
        notice = mark_viewed(bailiff, pk)
    except NoticeNotFound:
        return not_found(request)
    record_action(
        request,
        gettext("Notification passée en vue : %(reference)s") % {"reference": notice.reference},
    )
    if not getattr(request, "htmx", False):
        query = request.POST.copy()
        query[CATEGORY] = notice.category
        kept = {key: query.get(key, "") for key in (CATEGORY, PAGE, PER_PAGE, SORT, FILTER)}
        return _see_other(f"{reverse('web:home')}?{_query(**kept)}#cat-{notice.category}")
    context = _table_context(_page_from(bailiff, notice.category, request.POST))
    context["counts_oob"] = _categories(unviewed_counts(bailiff))
    return render(request, "web/dashboard_table.html", context)


@bailiff_required
@require_POST
def open_signification(request: HttpRequest, pk: int) -> HttpResponse:
    """The magnifier: the signification's notices are viewed, then its detail opens."""
    try:
        signification = mark_signification_viewed(bailiff_of(request), pk)
    except NoticeNotFound:
        return not_found(request)
    record_action(
        request,
        gettext("Consultation de la signification %(reference)s")
        % {"reference": signification.reference},
    )
    return _see_other(reverse("web:detail", args=[signification.pk]))
