"""``securact serve``: serve files as a bailiff from the command line (the same service
call as the web form and the EDI API), wait for the process to end, print one JSON object.

    securact serve --bailiff-cert CERT.pem --recipient SIRET --nature CODE \\
        --reference REF --pin-file FILE [--elements FILE.json] [--out DIR] FILE...

``--elements``: the act's essential elements as one JSON object (README, "Data message"),
required for a nature whose deposits carry a data message (the garnishments).

The PIN is read from FILE (never from the command line, where `ps` would show it), kept in
memory only, and used by this command's own signing session. While it waits, each step's
change of state is printed once on standard error, in French. Exit status 0 only when every
step is done; a refusal prints the French reason and exits 2; a failed step exits 1.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from securact.cli_help import fail
from securact.workflow.cli import ServeRequest, serve

DESCRIPTION = (
    "Signifie des actes en ligne de commande, au nom d'un commissaire de justice : les "
    "fichiers sont convertis en PDF/A, signés avec son certificat qualifié (jeton, code PIN), "
    "déposés dans le coffre-fort du destinataire, qui est alerté ; la commande attend la fin "
    "en affichant l'avancement sur la sortie d'erreur, puis écrit un objet JSON sur la sortie "
    "standard. Codes de sortie : 0 : toutes les étapes sont terminées ; 1 : une étape a "
    "échoué ; 2 : refus (motif en français, rien n'est enregistré)."
)


class Command(BaseCommand):
    help = DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bailiff-cert",
            type=Path,
            required=True,
            metavar="CERT.pem",
            help="certificat d'authentification (PEM) du commissaire de justice, celui avec "
            "lequel il se connecte ; son coffre-fort doit être déclaré (securact declare) ; "
            "son certificat de signature est cherché sur son jeton",
        )
        parser.add_argument(
            "--recipient", required=True, metavar="SIRET", help="SIRET du destinataire"
        )
        parser.add_argument(
            "--nature",
            required=True,
            metavar="CODE",
            help="code de la nature de l'acte (ex. mainlevee, saisie-attribution) ; "
            "le destinataire doit l'accepter",
        )
        parser.add_argument(
            "--reference",
            required=True,
            metavar="REF",
            help="référence de dépôt, unique dans l'étude (lettres sans accent, chiffres, "
            "espace, tiret, point, souligné ; 100 caractères au plus)",
        )
        parser.add_argument(
            "--pin-file",
            type=Path,
            required=True,
            metavar="FICHIER",
            help="fichier contenant le code PIN du jeton de signature (jamais sur la ligne "
            "de commande ; gardez-le en mode 0600)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            metavar="DOSSIER",
            help="où copier les PDF signés, leurs .p7s, l'attestation de dépôt, le message "
            "de données et l'archive ZIP (par défaut : var/serve/<référence>/ dans le "
            "dossier de données)",
        )
        parser.add_argument(
            "--elements",
            type=Path,
            metavar="FICHIER.json",
            help="données de l'acte (objet JSON), obligatoires pour une saisie : voir le "
            "README, « Data message »",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600,
            metavar="SECONDES",
            help="temps d'attente maximal de la signature et des étapes, en secondes "
            "(par défaut : 600)",
        )
        parser.add_argument(
            "files",
            nargs="+",
            type=Path,
            metavar="FICHIER",
            help="actes à signifier : PDF, DOCX ou ODT (sans macro ni mot de passe)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:  # no library INFO lines on the terminal (-v 2 shows them)
            logging.getLogger().setLevel(logging.WARNING)
        out = options["out"] or default_out(options["reference"])
        request = ServeRequest(
            bailiff_cert=options["bailiff_cert"],
            recipient_siret=options["recipient"],
            nature_code=options["nature"],
            reference=options["reference"],
            pin_file=options["pin_file"],
            files=options["files"],
            timeout=options["timeout"],
            elements=_elements(options["elements"]),
            out=out,
        )
        result = serve(request, progress=_progress)
        report = result.as_dict()
        if result.paths:
            report["out"] = str(out)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if result.refusal:
            fail(self, result.refusal, 2)
        if not result.succeeded:
            fail(self, gettext("La signification n'a pas abouti."), 1)


def default_out(reference: str) -> Path:
    """var/serve/<reference>/ under the data directory (a reference may hold spaces)."""
    return Path(settings.DATA_DIR) / "serve" / re.sub(r"[^A-Za-z0-9._-]", "_", reference.strip())


def _progress(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


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
