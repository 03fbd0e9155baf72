from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalPagesConfig(AppConfig):
    name = "securact.journal_pages"
    label = "journal_pages"
    verbose_name = _("Points de contrôle publics du journal")
