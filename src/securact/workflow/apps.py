from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    """The service process that composes the domain apps (its steps, the one serve call, the
    worker and the commands that run them): no models of its own."""

    name = "securact.workflow"
    label = "workflow"
    verbose_name = _("Processus de signification")

    def ready(self) -> None:
        # Every step class registers itself with the engine (``significations.process``),
        # which sits below them and never imports them.
        from securact.delivery import certificate  # noqa: F401 - the DELIVERY step
        from securact.returns import sealing_step  # noqa: F401 - the RETURN_SEAL step
        from securact.workflow import steps, steps_after_deposit  # noqa: F401 - the six
