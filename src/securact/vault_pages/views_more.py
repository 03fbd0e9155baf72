"""The vault's other pages: search (F7.3), the journal and its CSV export (*lire le
journal*, F7.4), the account (certificate bound, quota, retention rules) and the help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from securact.bundles.owner_exports import owner_exports, under_way
from securact.core.history import record_action
from securact.vault import operations
from securact.vault.journaling import vault_entries
from securact.vault.models import StoredFile
from securact.vault.retention import SOURCES, retention_years
from securact.vault_pages.access import is_bailiff, owner_vault, vault_owner_required
from securact.vault_pages.forms import FileSearch
from securact.vault_pages.tables import JournalTable, SearchResultTable
from securact.vault_pages.views import PAGING, layout


@vault_owner_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Files of the vault by name or text, kind, deposit dates, signification reference and
    keywords; no query runs on criteria that are not valid, nor before any is given."""
    vault = owner_vault(request)
    filterset = FileSearch(request.GET, queryset=StoredFile.objects.none(), vault=vault)
    context = {**layout(request), "form": filterset.form, "table": None}
    if filterset.is_valid() and filterset.asked:
        table = SearchResultTable(filterset.qs, bailiff=is_bailiff(request))
        RequestConfig(request, paginate=PAGING).configure(table)
        context["table"] = table
        if "page" not in request.GET:  # a new search, not the next page of one
            record_action(request, gettext("Recherche dans le coffre-fort"))
    status = 400 if filterset.form.errors else 200
    return render(request, "vault_pages/search.html", context, status=status)


@vault_owner_required
@require_safe
def journal(request: HttpRequest) -> HttpResponse:
    vault = owner_vault(request)
    table = JournalTable(
        vault_entries(vault),
        holder=vault.certificate_holder,
        own=vault.certificate_fingerprint or "",
    )
    RequestConfig(request, paginate=PAGING).configure(table)
    return render(request, "vault_pages/journal.html", {**layout(request), "table": table})


@vault_owner_required
@require_safe
def journal_csv(request: HttpRequest) -> HttpResponse:
    """The whole journal of the vault as CSV, streamed (a large vault never held in memory)."""
    vault = owner_vault(request)
    record_action(request, gettext("Export du journal du coffre-fort (CSV)"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(
        operations.vault_journal_csv(vault), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="journal-coffre-fort-{stamp}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response  # type: ignore[return-value]


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    years: int | None
    source: str


def retention_rules() -> list[RetentionRule]:
    """Each kind, how long it is kept and the legal source of that period (evidence first)."""
    rules = [
        RetentionRule(str(label), retention_years(kind), SOURCES.get(kind, ""))
        for kind, label in StoredFile.Kind.choices
    ]
    return sorted(rules, key=lambda rule: rule.years is None)


@vault_owner_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """*Mon compte*: the certificate the vault is bound to, the quota, the retention rules,
    the complete export (reversibility) and its progress."""
    return render(request, "vault_pages/account.html", account_context(request))


def account_context(request: HttpRequest) -> dict[str, Any]:
    rows = owner_exports(owner_vault(request))
    return {
        **layout(request),
        "rules": retention_rules(),
        "exports": rows,
        "exports_under_way": under_way(rows),
    }


@vault_owner_required
@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "vault_pages/help.html", layout(request))
