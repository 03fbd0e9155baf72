from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "securact.notify"
    label = "notify"
    verbose_name = _("Alertes")

    def ready(self) -> None:
        # A misspelt SECURACT_SMS_BACKEND must stop the server and the workers at start,
        # not surface as a failed alert after the first deposit.
        from securact.notify.sms import validate_sms_settings

        validate_sms_settings()
