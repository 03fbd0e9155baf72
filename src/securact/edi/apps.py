from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EdiConfig(AppConfig):
    """The practices' EDI (F9.1) as services: uploads, batches and their items, the events
    feed derived from the journal, and the webhooks that follow it."""

    name = "securact.edi"
    label = "edi"
    verbose_name = _("EDI")

    def ready(self) -> None:
        # Each ``securact worker`` also follows the feed for the webhooks and expires the
        # uploads (``edi.dispatcher``): registered from here, as the worker's command sits
        # below this app and never imports it.
        from securact.core import worker_jobs
        from securact.edi.dispatcher import start_dispatcher

        worker_jobs.register("edi-dispatcher", start_dispatcher)
