"""The result table of the search (F5.2) and the history table of the detail (F6.5), with
django-tables2: sortable columns, 10 rows a page, the manual's paging (``1-10 sur 11``,
*Début Préc. 1 2 3 Suiv. Fin*). Sort orders come from ``significations.queries``."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from securact.significations import queries
from securact.significations.models import DeliveryState, Signification


class BoundedPaginator(Paginator[Any]):
    """Counts at most ``count_limit + 1`` rows, so that a large étude's search stays fast:
    past the limit the page says "sur plus de 10 000" and offers no last page."""

    @property
    def count_limit(self) -> int:
        return queries.COUNT_LIMIT  # read at each use: tests lower it

    @cached_property
    def count(self) -> int:
        data = getattr(self.object_list, "data", None)  # django-tables2's rows → their data
        queryset = getattr(data, "data", None)
        if isinstance(queryset, QuerySet):
            return queries.bounded_count(queryset, self.count_limit)
        return len(self.object_list)

    @property
    def bounded(self) -> bool:
        return self.count > self.count_limit

    @property
    def limit(self) -> str:
        return number_format(self.count_limit, force_grouping=True)

    def window(self, number: int, around: int = 2) -> range:
        """The page numbers shown around page ``number`` (the manual shows a few)."""
        return range(max(1, number - around), min(self.num_pages, number + around) + 1)


class DocumentSearchPaginator(BoundedPaginator):
    """A search by document name: "sur plus de 500" (``queries.DOCUMENT_COUNT_LIMIT``)."""

    @property
    def count_limit(self) -> int:
        return queries.DOCUMENT_COUNT_LIMIT


def _order(key: str) -> Any:
    def order(
        table: tables.Table, queryset: QuerySet[Signification], is_descending: bool
    ) -> tuple[QuerySet[Signification], bool]:
        return queries.ordered(queryset, key, is_descending), True

    return order


_STATE_CLASSES = {
    DeliveryState.AWAITING: "search-badge-awaiting",
    DeliveryState.IN_PERSON: "search-badge-person",
    DeliveryState.AT_HOME: "search-badge-home",
}

MAGNIFIER = (
    '<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24">'
    '<circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.4"/>'
    '<path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2.6" '
    'stroke-linecap="round"/></svg>'
)


class PagedTable(tables.Table):  # type: ignore[misc]  # django-tables2 ships no type hints
    """What the shared template (``web/search_table.html``) needs of a table: a caption, the
    column heading each row, the rows shown and the page numbers around the current one."""

    row_header = ""
    row_filter = ""
    hidden_headers: frozenset[str] = frozenset()  # headings for screen readers only

    @property
    def caption(self) -> str:
        return ""

    @property
    def visible_rows(self) -> list[Any]:
        return list(self.paginated_rows)

    @property
    def page_window(self) -> range:
        paginator = getattr(self, "paginator", None)
        if not isinstance(paginator, BoundedPaginator):
            return range(1, 2)
        return paginator.window(self.page.number)


class SearchTable(PagedTable):
    """Column names are the sort keys of the URL (``?tri=-date``), hence French."""

    date = tables.Column(gettext_lazy("Date dépôt"), accessor="sent_at", default="—")
    etat = tables.Column(gettext_lazy("État dépôt"), accessor="state")
    reference = tables.Column(gettext_lazy("Référence dépôt"), accessor="reference")
    fichier = tables.Column(gettext_lazy("Fichier déposé"), accessor="pk", empty_values=())
    destinataire = tables.Column(gettext_lazy("Destinataire"), accessor="recipient__name")
    # How it reached the platform (issue 13): the form, the practice's EDI software, or the
    # command line. Not a sort key: the search's indexes do not cover it.
    canal = tables.Column(gettext_lazy("Canal"), accessor="source", orderable=False)
    fiche = tables.Column(gettext_lazy("Fiche détaillée"), accessor="pk", orderable=False)

    order_date = _order("date")
    order_etat = _order("etat")
    order_reference = _order("reference")
    order_fichier = _order("fichier")
    order_destinataire = _order("destinataire")

    class Meta:
        template_name = "web/search_table.html"
        order_by_field = "tri"
        page_field = "page"
        per_page = queries.PAGE_SIZE
        order_by = queries.DEFAULT_SORT
        attrs = {"class": "search-table", "id": "resultats-table"}
        empty_text = gettext_lazy("Aucune signification ne correspond à ces critères.")

    row_header = "reference"
    hidden_headers = frozenset({"fiche"})

    def __init__(self, *args: Any, row_filter: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_filter = row_filter.strip()[: queries.FILTER_MAX_LENGTH]

    @property
    def caption(self) -> str:
        return gettext("Résultat de la recherche")

    @property
    def visible_rows(self) -> list[Any]:
        """*Filtrer dans les résultats*: the page's rows that contain the filter text."""
        rows = list(self.paginated_rows)
        if not self.row_filter:
            return rows
        return [row for row in rows if queries.row_matches(row.record, self.row_filter)]

    def render_date(self, value: Any) -> SafeString:
        local = timezone.localtime(value, queries.PARIS)
        return format_html(
            '<time datetime="{}">{}</time>', local.isoformat(), local.strftime("%d/%m/%Y")
        )

    def render_etat(self, record: Signification) -> SafeString:
        delivery = queries.delivery_state_of(record)
        if delivery is not None:
            css = _STATE_CLASSES[delivery]
        elif record.state == Signification.State.FAILED:
            css = "search-badge-failed"
        else:
            css = "search-badge-running"
        return format_html(
            '<span class="search-badge {}">{}</span>', css, queries.state_label(record)
        )

    def render_canal(self, record: Signification) -> str:
        return str(record.get_source_display())

    def render_fichier(self, record: Signification) -> SafeString:
        acts = list(record.acts.all())
        return format_html_join(
            "",
            '<span class="search-file" title="{0}">{0}</span>',
            ((act.deposited_name or act.original_name,) for act in acts),
        )

    def render_fiche(self, record: Signification) -> SafeString:
        url = reverse("web:detail", args=[record.pk])
        query = self.request.GET.urlencode() if getattr(self, "request", None) else ""
        if query:
            url = f"{url}?{urlencode({'recherche': query})}"
        label = gettext("Voir la fiche détaillée de la signification %(reference)s") % {
            "reference": record.reference
        }
        return format_html(
            '<a class="search-magnifier" href="{}" title="{}" hx-boost="false">'
            '<span class="visually-hidden">{}</span>{}</a>',
            url,
            label,
            label,
            SafeString(MAGNIFIER),
        )


class HistoryTable(PagedTable):
    """The detail's *Historique*: date (Paris) and message, 10 a page, prefixed ``h`` in the
    URL (``?hpage=2``) so that it never collides with the search kept for the way back."""

    date = tables.Column(gettext_lazy("Date"), accessor="at", orderable=False)
    message = tables.Column(gettext_lazy("Message"), accessor="message", orderable=False)

    class Meta:
        template_name = "web/search_table.html"
        prefix = "h"
        page_field = "page"
        per_page = queries.PAGE_SIZE
        attrs = {"class": "search-table", "id": "historique-table"}
        empty_text = gettext_lazy("Aucun événement ne correspond.")

    row_header = "date"

    @property
    def caption(self) -> str:
        return gettext("Historique de la signification")

    def render_date(self, value: Any) -> SafeString:
        return format_html(
            '<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%d/%m/%Y %H:%M:%S")
        )
