"""``securact demo_data``: the directory entries of the demo identities (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from securact.pki.demo_data import create_demo_data
from securact.pki.demo_pki import DemoLayout


class Command(BaseCommand):
    help = "Crée l'étude, les destinataires et l'opérateur de démonstration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.DEMO_DIR,
            help="dossier de la PKI de démonstration (par défaut : var/demo)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        create_demo_data(DemoLayout(options["dir"].resolve()))
        self.stdout.write(self.style.SUCCESS("Données de démonstration en place."))
