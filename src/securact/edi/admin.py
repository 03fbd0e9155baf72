"""Operators' view of the EDI: batches and their items, uploads, webhooks (endpoints with
their delivery state, and every attempt with its status and error). Records are written by
the EDI services only; an operator may deactivate or reactivate a webhook and have it tried
again now. The webhook's secret is never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.edi.batch_status import BatchState, batch_status
from securact.edi.models import Batch, BatchItem, Upload, WebhookAttempt, WebhookEndpoint


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BatchItemInline(_ReadOnly, admin.TabularInline[BatchItem, Batch]):
    model = BatchItem
    fields = (
        "position",
        "reference",
        "state",
        "signification",
        "refusal_message",
        "refusal_field",
        "signing_error",
        "processed_at",
    )
    readonly_fields = fields
    extra = 0
    show_change_link = False


@admin.register(Batch)
class BatchAdmin(_ReadOnly, admin.ModelAdmin[Batch]):
    list_display = ("client_reference", "practice", "created_at", "items_count", "state")
    list_select_related = ("practice",)
    search_fields = ("client_reference", "=practice__code")
    date_hierarchy = "created_at"
    inlines = [BatchItemInline]

    @admin.display(description=_("significations"))
    def items_count(self, batch: Batch) -> int:
        return batch.items.count()

    @admin.display(description=_("état"))
    def state(self, batch: Batch) -> str:
        return str(BatchState.LABELS[batch_status(batch).state])


@admin.register(Upload)
class UploadAdmin(_ReadOnly, admin.ModelAdmin[Upload]):
    list_display = ("name", "practice", "kind", "size", "created_at", "expires_at")
    list_select_related = ("practice",)
    exclude = ("key",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = (
        "url",
        "owner",
        "active",
        "cursor",
        "failures",
        "next_attempt_at",
        "last_success_at",
        "last_error",
    )
    list_filter = ("active",)
    list_select_related = ("practice", "recipient")
    search_fields = ("url", "=practice__code", "=recipient__siret")
    # The secret (encrypted) is never shown; the rest is the dispatcher's.
    fields = (
        "url",
        "practice",
        "recipient",
        "active",
        "created_by",
        "created_at",
        "cursor",
        "failures",
        "next_attempt_at",
        "last_success_at",
        "last_error",
    )
    readonly_fields = tuple(f for f in fields if f != "active")
    actions = ("deactivate", "reactivate_now")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered by the practice or recipient (its secret is shown once)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("titulaire"))
    def owner(self, endpoint: WebhookEndpoint) -> str:
        return str(endpoint.practice or endpoint.recipient or "")

    @admin.action(description=_("Désactiver les webhooks choisis"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        count = queryset.update(active=False)
        messages.success(request, _("%(count)d webhook(s) désactivé(s).") % {"count": count})

    @admin.action(description=_("Activer et réessayer maintenant"))
    def reactivate_now(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        count = queryset.update(active=True, next_attempt_at=None, scheduled_at=None)
        messages.success(
            request, _("%(count)d webhook(s) activé(s), remis sans attendre.") % {"count": count}
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(_ReadOnly, admin.ModelAdmin[WebhookAttempt]):
    list_display = (
        "attempted_at",
        "endpoint",
        "event",
        "delivered",
        "status_code",
        "duration_ms",
        "error",
    )
    list_filter = ("delivered", "endpoint")
    list_select_related = ("endpoint", "event")
    date_hierarchy = "attempted_at"
