"""``securact declare --cert CERT.pem --key KEY.pem``: declare a certificate and create its
holder's vault (F1.2) without a browser; ``securact.vault.declare_cli`` does the work."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import formats, timezone
from django.utils.translation import gettext

from securact.cli_help import fail
from securact.vault.declare_cli import DeclarationFailed, declare_from_files


class Command(BaseCommand):
    help = (
        "Déclare un certificat d'authentification et crée le coffre-fort de son titulaire "
        "(première connexion, sans navigateur). Codes de sortie : 0 : coffre-fort déclaré "
        "(ou déjà déclaré) ; 2 : refus, expliqué en français."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cert",
            type=Path,
            required=True,
            help="certificat d'authentification (PEM) du commissaire de justice ou du "
            "destinataire, tel qu'il se connecte au site",
        )
        parser.add_argument(
            "--key",
            type=Path,
            required=True,
            help="sa clé privée (PEM non chiffré) : elle signe un défi aléatoire pour prouver "
            "que vous détenez le certificat, comme lors d'une connexion TLS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:  # no library INFO lines on the terminal
            logging.getLogger().setLevel(logging.WARNING)
        try:
            declared = declare_from_files(options["cert"], options["key"])
        except DeclarationFailed as failed:
            fail(self, failed.message, 2)
        info = declared.certificate
        message = (
            gettext("Coffre-fort déjà déclaré pour %(holder)s avec ce certificat.")
            if declared.already
            else gettext("Coffre-fort déclaré pour %(holder)s, lié à ce certificat.")
        )
        self.stdout.write(message % {"holder": info.holder})
        validity = formats.date_format(timezone.localtime(info.not_after), "SHORT_DATETIME_FORMAT")
        self.stdout.write(
            gettext("Certificat n° %(serial)s émis par %(issuer)s, valable jusqu'au %(date)s.")
            % {"serial": info.serial_number, "issuer": info.issuer, "date": validity}
        )
