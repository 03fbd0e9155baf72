"""Operators see the vaults' occupation against quota (issue 11 item 8): the admin's
*Occupation des coffres-forts*, read-only, largest first, filtered to the vaults over quota,
with the time of the last crossing journaled (``QUOTA_EXCEEDED``). Registered from
``VaultConfig.ready`` (vault/admin.py is the fixity audit's)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.vault.journaling import VaultAction
from securact.vault.models import Vault, VaultOccupation, VaultOperation
from securact.vault.quota import format_size


def with_occupation(vaults: QuerySet[Any]) -> QuerySet[Any]:
    """``used``, ``file_count``, ``quota`` and ``last_exceeded`` on each vault."""
    crossings = VaultOperation.objects.filter(
        vault=OuterRef("pk"), action=VaultAction.QUOTA_EXCEEDED
    ).order_by("-journal_sequence")
    annotated: QuerySet[Any] = vaults.annotate(
        used=Coalesce(Sum("files__size"), Value(0), output_field=BigIntegerField()),
        file_count=Count("files"),
        quota=Coalesce(
            F("quota_bytes"),
            Value(int(settings.SECURACT_VAULT_QUOTA_BYTES)),
            output_field=BigIntegerField(),
        ),
        last_exceeded=Subquery(crossings.values("recorded_at")[:1]),
    )
    return annotated


class OverQuotaFilter(admin.SimpleListFilter):
    title = _("quota")
    parameter_name = "quota"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("over", _("au-delà du quota")), ("within", _("dans le quota"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "over":
            return queryset.filter(used__gt=F("quota"))
        if self.value() == "within":
            return queryset.filter(used__lte=F("quota"))
        return queryset


@admin.register(VaultOccupation)
class VaultOccupationAdmin(admin.ModelAdmin[VaultOccupation]):
    list_display = (
        "__str__",
        "owner_kind",
        "used_display",
        "quota_display",
        "percent_display",
        "file_count_display",
        "last_exceeded_display",
    )
    list_filter = (OverQuotaFilter, "owner_kind")
    search_fields = ("certificate_holder", "bailiff__full_name", "recipient__name")
    fields = ("owner_kind", "certificate_holder", "quota_bytes")
    readonly_fields = fields
    list_select_related = ("bailiff", "recipient")

    def get_queryset(self, request: HttpRequest) -> QuerySet[VaultOccupation]:
        return with_occupation(super().get_queryset(request)).order_by("-used", "pk")

    @admin.display(description=_("occupé"), ordering="used")
    def used_display(self, vault: Any) -> str:
        return format_size(vault.used)

    @admin.display(description=_("quota"), ordering="quota")
    def quota_display(self, vault: Any) -> str:
        return format_size(vault.quota)

    @admin.display(description=_("occupation"))
    def percent_display(self, vault: Any) -> str:
        percent = vault.used * 100 // vault.quota if vault.quota else 100
        return f"{percent} %" + (" ⚠" if vault.used > vault.quota else "")

    @admin.display(description=_("fichiers"), ordering="file_count")
    def file_count_display(self, vault: Any) -> int:
        return int(vault.file_count)

    @admin.display(description=_("dernier dépassement"), ordering="last_exceeded")
    def last_exceeded_display(self, vault: Any) -> Any:
        return vault.last_exceeded or "—"

    def has_add_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False
