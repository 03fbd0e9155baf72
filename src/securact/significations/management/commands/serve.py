"""``securact serve``: serve files as a bailiff from the command line (the same service
call as the web form and the EDI API), wait for the process to end, print one JSON object.

    securact serve --bailiff-cert CERT.pem --recipient SIRET --nature CODE \\
        --reference REF --pin-file FILE [--elements FILE.json] [--out DIR] FILE...

``--elements``: the act's essential elements as one JSON object (README, "Data message"),
required for a nature whose deposits carry a data message (the garnishments).

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
from django.utils.translation import gettext

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
        parser.add_argument(
            "--elements", type=Path, help="données de l'acte (objet JSON), voir le README"
        )
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
            elements=_elements(options["elements"]),
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


def _elements(path: Path | None) -> dict[str, Any] | None:
    """The JSON object of ``--elements``; a bad file is a refusal (exit status 2)."""
    if path is None:
        return None
    try:
        elements = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, json.JSONDecodeError) as error:
        raise CommandError(
            gettext("Données de l'acte illisibles (%(path)s) : %(error)s")
            % {"path": path, "error": error},
            returncode=2,
        ) from error
    if not isinstance(elements, dict):
        raise CommandError(
            gettext("Les données de l'acte doivent être un objet JSON."), returncode=2
        )
    return elements
