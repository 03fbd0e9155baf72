"""Operators' view of the delivery certificates: a read-only list, to see which are still to
make and why (the rows are written by the delivery services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.delivery.models import DeliveryCertificate
from securact.significations.models import Step


@admin.register(DeliveryCertificate)
class DeliveryCertificateAdmin(admin.ModelAdmin[DeliveryCertificate]):
    list_display = (
        "signification_id",
        "name",
        "mode",
        "decided_at",
        "completed_at",
        "letter_due",
        "step_state",
    )
    list_filter = ("mode",)
    search_fields = ("=signification__id", "name")
    date_hierarchy = "decided_at"
    ordering = ("-decided_at",)

    @admin.display(description=_("Création de l'attestation de remise"))
    def step_state(self, obj: DeliveryCertificate) -> str:
        """The engine's DELIVERY step: its state, and why it last failed (French)."""
        step = Step.objects.filter(
            signification_id=obj.signification_id, name=Step.Name.DELIVERY
        ).first()
        if step is None:
            return ""
        return f"{step.get_state_display()} {step.error}".strip()

    # The decision and its certificate are evidence: nobody adds, edits or deletes them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
