from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "securact.evidence"
    label = "evidence"
    verbose_name = _("Preuves")

    def ready(self) -> None:
        from securact.evidence.guards import register_sqlite_function

        # Before any SQLite statement can fire the journal's DELETE trigger.
        connection_created.connect(register_sqlite_function, dispatch_uid="securact-journal")
