"""``securact sweep_deliveries``: decide now every deposit past its deadline still awaiting
consultation, and enqueue every delivery certificate still to make (after an outage; each
worker also does it when it starts and then periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from securact.core import clock
from securact.delivery.services import sweep


class Command(BaseCommand):
    help = (
        "Décide la remise (à domicile, à son échéance) de chaque signification dont "
        "l'échéance est passée sans décision."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep(now=clock.now())
        self.stdout.write(
            gettext("%(decided)d remise(s) décidée(s) à leur échéance.")
            % {"decided": report.decided}
        )
