"""``securact export --practice CODE|--recipient SIRET --out DIR``: the reversibility export
of one owner as a BagIt bag (docs/evidence-log.md §6; ``securact.bundles.export``).

Exit status 0 when every file was exported, 1 when the export is complete but some files
were missing or damaged in storage (each listed here and in the bag's ``rapport.txt``), 2
when the request is invalid (unknown practice or recipient, folder not empty)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, ngettext

from securact.bundles.export import write_export
from securact.bundles.export_requests import REQUESTED
from securact.bundles.export_scope import ExportRefused, practice_scope, recipient_scope
from securact.cli_help import fail
from securact.core.errors import Refusal
from securact.evidence import journal


class Command(BaseCommand):
    help = (
        "Export de réversibilité : écrit tout ce que la plateforme conserve pour une étude "
        "(--practice CODE) ou un destinataire (--recipient SIRET) dans un dossier BagIt : "
        "fichiers des coffres-forts et leurs métadonnées, entrées du journal et leurs "
        "preuves, points de contrôle, certificats. Codes de sortie : 0 : complet ; 1 : des "
        "fichiers manquants ou altérés (listés dans le rapport de l'export) ; 2 : demande "
        "invalide."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--practice", metavar="CODE", help="le code de l'étude")
        owner.add_argument("--recipient", metavar="SIRET", help="le SIRET du destinataire")
        parser.add_argument(
            "--out",
            required=True,
            type=Path,
            metavar="DIR",
            help="le dossier à créer (absent ou vide)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["practice"] is not None:
                scope = practice_scope(options["practice"])
            else:
                scope = recipient_scope(options["recipient"])
            journal.append(
                REQUESTED,
                actor=journal.PLATFORM_ACTOR,
                data={
                    "scope": scope.kind,
                    "owner": scope.identifier,
                    "channel": "cli",
                    "message": gettext("Export de réversibilité (ligne de commande) : %(owner)s")
                    % {"owner": scope.label},
                },
            )
            report = write_export(scope, options["out"])
        except ExportRefused as refused:
            fail(self, refused.message, 2)
        except Refusal as refused:  # the TSA or the token while publishing a checkpoint
            fail(self, refused.message, 1)
        self.stdout.write(
            gettext(
                "Export de %(owner)s écrit dans %(folder)s : %(files)s, %(entries)d entrées "
                "du journal, %(checkpoints)d points de contrôle."
            )
            % {
                "owner": scope.label,
                "folder": report.folder,
                "files": ngettext("%(count)d fichier", "%(count)d fichiers", report.files)
                % {"count": report.files},
                "entries": report.entries,
                "checkpoints": report.checkpoints,
            }
        )
        if report.complete:
            return
        self.stderr.write(
            ngettext(
                "%(count)d fichier n'a pas pu être exporté (voir data/rapport.txt) :",
                "%(count)d fichiers n'ont pas pu être exportés (voir data/rapport.txt) :",
                len(report.problems),
            )
            % {"count": len(report.problems)}
        )
        for problem in report.problems:
            self.stderr.write(
                "  "
                + gettext("%(path)s (coffre-fort n° %(vault)d) : %(detail)s")
                % {"path": problem.path, "vault": problem.vault_id, "detail": problem.detail}
            )
        raise SystemExit(1)
