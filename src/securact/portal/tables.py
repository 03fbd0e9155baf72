"""The recipient's deposit list and a deposit's history, drawn by the bailiff's table
template (``web/search_table.html``: caption, row headings, the manual's paging)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from securact.core import clock
from securact.returns.status import answer_badge, answer_statuses
from securact.significations.models import DeliveryState, Signification
from securact.ui import deposits as services
from securact.ui.tables import MAGNIFIER, PagedTable

_BADGES = {
    DeliveryState.IN_PERSON: "search-badge-person",
    DeliveryState.AT_HOME: "search-badge-home",
}


def paris(value: Any) -> SafeString:
    local = timezone.localtime(value, services.PARIS)
    return format_html(
        '<time datetime="{}">{} <span class="dash-time">{}</span></time>',
        local.isoformat(),
        local.strftime("%d/%m/%Y"),
        local.strftime("%H:%M"),
    )


class DepositTable(PagedTable):
    """Rows in the service's order (unopened, then newest): no column sorts."""

    date = tables.Column(gettext_lazy("Envoyé le"), accessor="sent_at", orderable=False)
    actes = tables.Column(gettext_lazy("Acte(s)"), accessor="pk", empty_values=(), orderable=False)
    reference = tables.Column(gettext_lazy("Référence"), accessor="reference", orderable=False)
    # The debtor from the act's essential elements (a data message's nature); blank otherwise.
    debiteur = tables.Column(
        gettext_lazy("Débiteur"), accessor="pk", empty_values=(), orderable=False
    )
    nature = tables.Column(gettext_lazy("Nature"), accessor="nature__label", orderable=False)
    etude = tables.Column(gettext_lazy("Étude"), accessor="practice__name", orderable=False)
    echeance = tables.Column(
        gettext_lazy("Échéance de remise"), accessor="delivery_deadline", orderable=False
    )
    # The act return's R.211-4 deadline (issue 5, item 5): which answers are overdue.
    reponse = tables.Column(
        gettext_lazy("Réponse attendue"), accessor="pk", empty_values=(), orderable=False
    )
    etat = tables.Column(gettext_lazy("État"), accessor="delivery_state", orderable=False)
    fiche = tables.Column(gettext_lazy("Détail"), accessor="pk", orderable=False)

    class Meta:
        template_name = "web/search_table.html"
        page_field = "page"
        attrs = {"class": "search-table portal-table", "id": "depots-table"}
        empty_text = gettext_lazy("Aucun acte signifié ne correspond à ces critères.")

    # The acts' names hold the practice, the reference and the time of sending.
    row_header = "actes"
    hidden_headers = frozenset({"fiche"})

    @property
    def caption(self) -> str:
        return gettext("Actes signifiés à votre organisme")

    def render_date(self, value: Any) -> SafeString:
        return paris(value)

    def render_echeance(self, value: Any) -> SafeString:
        return paris(value)

    def render_actes(self, record: Signification) -> SafeString:
        # The whole name, wrapped (portal-full): cut, every name read « 9991_RECETTE-20… ».
        return format_html_join(
            "",
            '<span class="search-file portal-full" title="{0}">{0}</span>',
            ((act.deposited_name,) for act in record.acts.all()),
        )

    def render_reference(self, value: str) -> SafeString:
        return format_html('<span class="portal-full">{}</span>', value)

    def render_debiteur(self, record: Signification) -> SafeString | str:
        name = services.debtor_name(record)
        return format_html('<span class="portal-full">{}</span>', name) if name else "—"

    def render_nature(self, value: str) -> SafeString:
        return format_html('<span class="portal-clip" title="{0}">{0}</span>', value)

    def render_etude(self, record: Signification) -> SafeString:
        practice = record.practice
        return format_html(
            '<span class="portal-clip" title="{0} ({1})">{1} — {0}</span>',
            practice.name,
            practice.code,
        )

    def render_etat(self, record: Signification) -> SafeString:
        css = _BADGES.get(DeliveryState(record.delivery_state), "search-badge-awaiting")
        if record.opened_at is None:
            css += " portal-unopened"
        return format_html(
            '<span class="search-badge {}">{}</span>', css, services.state_label(record)
        )

    def render_reponse(self, record: Signification) -> SafeString | str:
        if not hasattr(self, "_answers"):  # one query for the page's rows, on the first one
            rows = self.page.object_list if hasattr(self, "page") else self.rows
            self._answers = answer_statuses([row.record for row in rows], at=clock.now())
        return answer_badge(self._answers.get(record.pk), at=clock.now())

    def render_fiche(self, record: Signification) -> SafeString:
        url = reverse("portal:deposit", args=[record.pk])
        label = gettext("Ouvrir le dépôt %(reference)s") % {"reference": record.reference}
        return format_html(
            '<a class="search-magnifier" href="{}" title="{}">'
            '<span class="visually-hidden">{}</span>{}</a>',
            url,
            label,
            label,
            SafeString(MAGNIFIER),
        )


class HistoryTable(PagedTable):
    date = tables.Column(gettext_lazy("Date"), accessor="at", orderable=False)
    message = tables.Column(gettext_lazy("Événement"), accessor="message", orderable=False)

    class Meta:
        template_name = "web/search_table.html"
        prefix = "h"
        page_field = "page"
        attrs = {"class": "search-table", "id": "historique-table"}
        empty_text = gettext_lazy("Aucun événement ne correspond.")

    row_header = "date"

    @property
    def caption(self) -> str:
        return gettext("Historique du dépôt")

    def render_date(self, value: Any) -> SafeString:
        return format_html(
            '<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%d/%m/%Y %H:%M:%S")
        )
