"""``securact demo_pki``: generate the demo PKI once (idempotent: an existing one is kept,
given the journal's checkpoint key if it was made before issue 12, and the certificates of
identities added since)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from securact.pki.demo_pki import (
    ARCH,
    DemoLayout,
    add_missing_identities,
    generate,
    load_identities,
)
from securact.pki.journal_key import add_journal_key


class Command(BaseCommand):
    help = "Génère la PKI de démonstration (AC, horodatage, OCSP, CRL, jetons SoftHSM2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.DEMO_DIR,
            help="dossier de la PKI (par défaut : var/demo dans le dossier de données)",
        )
        parser.add_argument(
            "--url",
            default=settings.SECURACT_DEMO_PKI_URL,
            help="adresse où « certomancer animate » sert l'horodatage, l'OCSP et les CRL "
            "(écrite dans les certificats)",
        )
        parser.add_argument(
            "--force", action="store_true", help="supprime la PKI existante et la régénère"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        layout = DemoLayout(options["dir"].resolve())
        if options["force"] and layout.root.exists():
            shutil.rmtree(layout.root)
        if layout.demo_json.exists():
            self.stdout.write(f"PKI de démonstration déjà présente : {layout.root}")
            # A PKI made before issue 12 lacks the journal's checkpoint key: added here.
            if add_journal_key(layout.pki, load_identities()["platform"], ARCH):
                self.stdout.write(
                    f"Clé des points de contrôle du journal ajoutée : {layout.journal_cert}"
                )
            # Identities added since (the EDI software's certificate, issue 13).
            for label in add_missing_identities(layout):
                self.stdout.write(f"Certificat ajouté à la PKI de démonstration : {label}")
            return
        if layout.root.exists():
            # A half-made PKI (interrupted run) is never reused.
            shutil.rmtree(layout.root)
        generate(layout, options["url"])
        self.stdout.write(self.style.SUCCESS(f"PKI de démonstration créée : {layout.root}"))
