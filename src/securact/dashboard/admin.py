from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from securact.dashboard.models import DashboardNotice


@admin.register(DashboardNotice)
class DashboardNoticeAdmin(admin.ModelAdmin[DashboardNotice]):
    """Read-only for operators (support): notices are made by the process, viewed by bailiffs."""

    list_display = (
        "reference",
        "category",
        "bailiff",
        "recipient_name",
        "deposited_at",
        "viewed_at",
        "resolved_at",
    )
    list_filter = ("category",)
    search_fields = ("=signification__id", "reference", "recipient_name")
    list_select_related = ("bailiff",)
    raw_id_fields = ("bailiff", "signification")
    ordering = ("-id",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in DashboardNotice._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
