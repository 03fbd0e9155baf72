"""Operators' view of the vaults: read-only (a vault's binding changes only through
declaration or renewal; files, audits and their findings are evidence)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.vault.models import FixityAudit, StoredFile, Vault

_M = TypeVar("_M", bound=Model)

PROBLEM_STATES = [
    StoredFile.Fixity.ALTERED,
    StoredFile.Fixity.MISSING,
    StoredFile.Fixity.UNREADABLE,
]


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vault)
class VaultAdmin(ReadOnlyAdmin[Vault]):
    list_display = (
        "pk",
        "__str__",
        "owner_kind",
        "certificate_holder",
        "certificate_not_after",
        "created_at",
    )
    list_filter = ("owner_kind",)
    search_fields = ("=pk", "certificate_holder", "certificate_fingerprint")
    exclude = ("certificate_der",)


class FixityFilter(admin.SimpleListFilter):
    """The files' last audit result; « en défaut » gathers every problem."""

    title = _("contrôle d'intégrité")
    parameter_name = "integrite"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("probleme", _("en défaut (altéré, introuvable, illisible)")),
            *StoredFile.Fixity.choices,
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "probleme":
            return queryset.filter(fixity_state__in=PROBLEM_STATES)
        if value in StoredFile.Fixity.values:
            return queryset.filter(fixity_state=value)
        return queryset


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin[StoredFile]):
    list_display = (
        "pk",
        "vault",
        "folder",
        "name",
        "kind",
        "size",
        "deposited_at",
        "fixity_state",
        "fixity_checked_at",
    )
    list_select_related = ("vault__bailiff", "vault__recipient")
    list_filter = (FixityFilter, "kind")
    search_fields = ("=pk", "name", "=sha256", "=vault__pk")
    exclude = ("deposit_timestamp",)
    ordering = ("-pk",)
    show_full_result_count = False  # a count of every file on each page: not at 100 000


class AuditResultFilter(admin.SimpleListFilter):
    title = _("résultat")
    parameter_name = "resultat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("probleme", _("un problème ou plus")), ("intact", _("tout intègre"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        problems = Q(altered__gt=0) | Q(missing__gt=0) | Q(unreadable__gt=0)
        if self.value() == "probleme":
            return queryset.filter(problems)
        if self.value() == "intact":
            return queryset.exclude(problems)
        return queryset


@admin.register(FixityAudit)
class FixityAuditAdmin(ReadOnlyAdmin[FixityAudit]):
    list_display = (
        "pk",
        "started_at",
        "finished_at",
        "trigger",
        "vault",
        "sample",
        "checked",
        "intact",
        "altered",
        "missing",
        "unreadable",
    )
    list_select_related = ("vault__bailiff", "vault__recipient")
    list_filter = (AuditResultFilter, "trigger")
    date_hierarchy = "started_at"
