"""Operators' view of the alerts: a read-only list (the records are written by services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from securact.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = (
        "signification_id",
        "channel",
        "to",
        "status",
        "attempts",
        "sent_at",
        "created_at",
        "last_error",
    )
    list_filter = ("channel", "status")
    search_fields = ("=signification_id", "to", "provider_id")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")

    # The record is evidence of what was sent: nobody adds, edits or deletes it by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
