"""Operators' view of the delivery certificates: a read-only list, to see which are still to
make and why (the rows are written by the delivery services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from securact.delivery.models import DeliveryCertificate


@admin.register(DeliveryCertificate)
class DeliveryCertificateAdmin(admin.ModelAdmin[DeliveryCertificate]):
    list_display = (
        "signification_id",
        "name",
        "mode",
        "decided_at",
        "completed_at",
        "letter_due",
        "attempts",
        "error",
    )
    list_filter = ("mode",)
    search_fields = ("=signification__id", "name")
    date_hierarchy = "decided_at"
    ordering = ("-decided_at",)

    # The decision and its certificate are evidence: nobody adds, edits or deletes them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
