from django.contrib import admin
from django.http import HttpRequest

from securact.vault.models import Vault


@admin.register(Vault)
class VaultAdmin(admin.ModelAdmin[Vault]):
    """Read-only: a vault's binding changes only through declaration or renewal."""

    list_display = (
        "__str__",
        "owner_kind",
        "certificate_holder",
        "certificate_not_after",
        "created_at",
    )
    list_filter = ("owner_kind",)
    search_fields = ("certificate_holder", "certificate_fingerprint")
    exclude = ("certificate_der",)

    def has_add_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Vault | None = None) -> bool:
        return False
