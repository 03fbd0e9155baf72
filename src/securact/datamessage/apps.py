from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataMessageConfig(AppConfig):
    name = "securact.datamessage"
    label = "datamessage"
    verbose_name = _("Message de données")
