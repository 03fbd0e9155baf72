from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultPagesConfig(AppConfig):
    name = "securact.vault_pages"
    label = "vault_pages"
    verbose_name = _("Pages du coffre-fort")
