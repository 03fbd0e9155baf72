from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "securact.bundles"
    label = "bundles"
    verbose_name = _("Dossiers de preuve et exports")
