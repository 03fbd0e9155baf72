"""Operators' view of the act returns and the mainlevée links: read-only lists (the rows are
evidence, written by ``returns.services`` and ``returns.releases`` only)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from securact.returns.models import (
    ActReturn,
    DeclaredAccount,
    GarnishmentDeclaration,
    SeizureRelease,
)

_M = TypeVar("_M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    # Evidence: nobody adds, edits or deletes it through the admin.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeclaredAccountInline(admin.TabularInline[DeclaredAccount, GarnishmentDeclaration]):
    model = DeclaredAccount
    extra = 0
    fields = ("position", "kind", "number", "balance", "direction")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActReturn)
class ActReturnAdmin(ReadOnlyAdmin[ActReturn]):
    list_display = ("signification_id", "name", "created_at", "deadline", "on_time")
    list_filter = ("on_time",)
    search_fields = ("=signification__id", "name")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)


@admin.register(GarnishmentDeclaration)
class GarnishmentDeclarationAdmin(ReadOnlyAdmin[GarnishmentDeclaration]):
    list_display = ("act_return", "debtor_is_individual", "protected_balance")
    inlines = [DeclaredAccountInline]


@admin.register(SeizureRelease)
class SeizureReleaseAdmin(ReadOnlyAdmin[SeizureRelease]):
    list_display = ("seizure_id", "release_id", "recorded_at")
    search_fields = ("=seizure__id", "=release__id")
