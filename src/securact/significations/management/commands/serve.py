"""``securact serve``: serve files as a bailiff from the command line (the same service
call as the web form and the EDI API), wait for the process to end, print one JSON object.

    securact serve --bailiff-cert CERT.pem --recipient SIRET --nature CODE \\
        --reference REF --pin-file FILE [--out DIR] FILE...

The PIN is read from FILE (never from the command line, where `ps` would show it), kept in
memory only, and used by this command's own signing session. Exit status 0 only when every
step is done; a refusal prints the French reason and exits 2; a failed step exits 1.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securact.significations.cli import ServeRequest, serve


class Command(BaseCommand):
    help = "Signifie des actes en ligne de commande, au nom d'un commissaire de justice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bailiff-cert", type=Path, required=True)
        parser.add_argument("--recipient", required=True, help="SIRET du destinataire")
        parser.add_argument("--nature", required=True, help="code de la nature de l'acte")
        parser.add_argument("--reference", required=True)
        parser.add_argument("--pin-file", type=Path, required=True)
        parser.add_argument("--out", type=Path)
        parser.add_argument("--timeout", type=float, default=600)
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        request = ServeRequest(
            bailiff_cert=options["bailiff_cert"],
            recipient_siret=options["recipient"],
            nature_code=options["nature"],
            reference=options["reference"],
            pin_file=options["pin_file"],
            files=options["files"],
            timeout=options["timeout"],
        )
        result = serve(request)
        if options["out"] and result.paths:
            options["out"].mkdir(parents=True, exist_ok=True)
            for name, path in result.paths.items():
                shutil.copy2(path, options["out"] / name)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if result.refusal:
            raise CommandError(result.refusal, returncode=2)
        if not result.succeeded:
            raise CommandError("La signification n'a pas abouti.", returncode=1)
