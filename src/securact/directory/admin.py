"""Operators' screens for the directory.

A recipient is edited with its accepted natures inline; each accepted nature opens (the
pencil of the inline row) on its own page, where its service windows are edited inline.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.directory.forms import RecipientForm
from securact.directory.models import (
    AcceptedNature,
    ActNature,
    Bailiff,
    Practice,
    Recipient,
    ServiceWindow,
)
from securact.directory.services import search_recipients


def describe_windows(accepted: AcceptedNature) -> str:
    windows = accepted.windows.all()
    return ", ".join(str(window) for window in windows) or str(_("à toute heure légale"))


class BailiffInline(admin.TabularInline[Bailiff, Practice]):
    model = Bailiff
    extra = 0
    fields = ("full_name", "function", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin[Practice]):
    list_display = ("code", "name", "bailiff_count")
    search_fields = ("code", "name")
    inlines = (BailiffInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Practice]:
        return super().get_queryset(request).annotate(bailiff_total=Count("bailiffs"))

    @admin.display(description=_("commissaires de justice"), ordering="bailiff_total")
    def bailiff_count(self, practice: Any) -> int:
        return int(practice.bailiff_total)


@admin.register(Bailiff)
class BailiffAdmin(admin.ModelAdmin[Bailiff]):
    list_display = ("full_name", "function", "practice", "created_at")
    list_select_related = ("practice",)
    search_fields = ("full_name", "practice__code", "practice__name")
    list_filter = ("function",)
    autocomplete_fields = ("practice",)
    readonly_fields = ("created_at",)


@admin.register(ActNature)
class ActNatureAdmin(admin.ModelAdmin[ActNature]):
    list_display = (
        "label",
        "code",
        "return_label",
        "expects_return",
        "needs_data_message",
        "is_active",
        "sort_order",
    )
    list_editable = ("is_active", "sort_order")
    list_filter = ("is_active", "expects_return", "needs_data_message")
    search_fields = ("code", "label")
    prepopulated_fields = {"code": ("label",)}


class AcceptedNatureInline(admin.TabularInline[AcceptedNature, Recipient]):
    model = AcceptedNature
    extra = 0
    fields = ("nature", "accepted_at", "hours")
    readonly_fields = ("accepted_at", "hours")
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[AcceptedNature]:
        return super().get_queryset(request).select_related("nature").prefetch_related("windows")

    @admin.display(description=_("horaires"))
    def hours(self, accepted: AcceptedNature) -> str:
        if accepted.pk is None:
            return ""
        return describe_windows(accepted)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin[Recipient]):
    form = RecipientForm
    list_display = ("name", "siret", "insee", "department", "email", "mobile", "updated_at")
    list_filter = ("department", "accepted_natures__nature")
    # Searched by search_recipients (SIRET, INSEE, name without accents) and by the start
    # of the e-mail address: see get_search_results. Declared so that the box shows.
    search_fields = ("name", "email")
    search_help_text = _("SIRET, numéro INSEE, nom (ou début d'un mot du nom) ou adresse e-mail")
    readonly_fields = ("created_at", "updated_at")
    inlines = (AcceptedNatureInline,)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Recipient], search_term: str
    ) -> tuple[QuerySet[Recipient], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            found = search_recipients(term)
        except ValueError as error:
            messages.error(request, str(error))
            return queryset.none(), False
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(email__istartswith=term)), False


class ServiceWindowInline(admin.TabularInline[ServiceWindow, Recipient]):
    model = ServiceWindow
    extra = 1
    fields = ("weekday", "start", "end")


@admin.register(AcceptedNature)
class AcceptedNatureAdmin(admin.ModelAdmin[AcceptedNature]):
    list_display = ("recipient", "nature", "accepted_at", "hours")
    list_select_related = ("recipient", "nature")
    list_filter = ("nature",)
    search_fields = ("recipient__name", "recipient__siret", "nature__label")
    autocomplete_fields = ("recipient",)
    readonly_fields = ("accepted_at",)
    inlines = (ServiceWindowInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AcceptedNature]:
        return super().get_queryset(request).prefetch_related("windows")

    @admin.display(description=_("horaires"))
    def hours(self, accepted: AcceptedNature) -> str:
        return describe_windows(accepted)


@admin.register(ServiceWindow)
class ServiceWindowAdmin(admin.ModelAdmin[ServiceWindow]):
    list_display = ("accepted_nature", "weekday", "start", "end")
    list_select_related = ("accepted_nature__recipient", "accepted_nature__nature")
    list_filter = ("weekday", "accepted_nature__nature")
    search_fields = ("accepted_nature__recipient__name", "accepted_nature__recipient__siret")
