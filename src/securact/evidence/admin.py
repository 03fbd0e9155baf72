from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from securact.evidence import tree
from securact.evidence.models import Checkpoint, JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin[JournalEntry]):
    """Read-only: the journal is evidence, nobody adds, edits or deletes an entry by hand."""

    list_display = ("sequence", "recorded_at", "action", "signification_id", "actor", "format")
    list_filter = ("action",)
    search_fields = ("=signification_id", "action", "actor", "=entry_hash")
    ordering = ("-sequence",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in JournalEntry._meta.fields] + ["format", "leaf_index"]

    @admin.display(description=_("feuille de l'arbre"))
    def leaf_index(self, obj: JournalEntry) -> str:
        index = tree.leaf_index_of(obj.sequence)
        return str(index) if index is not None else str(_("en attente d'intégration"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin[Checkpoint]):
    """Read-only: a checkpoint is signed and timestamped once, then kept as it is."""

    list_display = ("tree_size", "created_at", "root_hex")
    ordering = ("-tree_size",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Checkpoint._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
