from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "securact.vault"
    label = "vault"
    verbose_name = _("Coffres-forts")

    def ready(self) -> None:
        # The operators' view of occupation against quota (vault/admin.py is the audit's).
        from securact.vault import admin_quota  # noqa: F401
