from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignificationsConfig(AppConfig):
    name = "securact.significations"
    label = "significations"
    verbose_name = _("Significations")
