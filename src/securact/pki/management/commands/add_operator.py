"""``securact add_operator CERT.pem USERNAME``: let an operator's certificate open the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securact.pki.certificates import MalformedCertificate
from securact.pki.demo_data import register_operator


class Command(BaseCommand):
    help = "Rattache un certificat d'opérateur à un compte d'administration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "certificate", type=Path, help="certificat d'authentification (PEM) de l'opérateur"
        )
        parser.add_argument(
            "username", help="identifiant du compte d'administration (créé sans mot de passe)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            binding = register_operator(options["certificate"], options["username"])
        except (OSError, MalformedCertificate) as exc:
            raise CommandError(f"Certificat illisible : {exc}") from exc
        self.stdout.write(f"Opérateur {binding.user} : {binding.fingerprint}")
