"""Where tasks queued before issue 10 look for their functions: the engine's ``run_step``
now lives with the engine (``process``) and ``retry_alert`` with the alerts, so that neither
module has to import this one back (no import cycle)."""

from __future__ import annotations

from securact.significations.alerts import retry_alert
from securact.significations.process import run_step

__all__ = ["retry_alert", "run_step"]
