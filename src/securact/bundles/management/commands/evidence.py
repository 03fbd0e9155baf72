"""``securact evidence``: the journal's proofs and checkpoints, and a signification's
evidence bundle (docs/evidence-log.md §3, §4).

    securact evidence proof ENTRY_ID [--size N]
    securact evidence consistency OLD NEW
    securact evidence checkpoint
    securact evidence bundle SIGNIFICATION_ID --out FILE.zip

Exit status 0 when done, 1 when a proof does not verify or a document is missing or
damaged, 2 when the request is invalid (unknown entry or signification, no such
checkpoint, bad sizes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from securact.bundles import journal_members
from securact.bundles.bundle import BundleRefused, build_bundle, json_bytes
from securact.cli_help import fail
from securact.core.errors import Refusal
from securact.significations.models import Signification


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Preuves du journal : preuve d'inclusion d'une entrée, preuve de cohérence entre "
        "deux tailles du journal, publication d'un point de contrôle, dossier de preuve "
        "d'une signification. Codes de sortie : 0 : fait ; 1 : une preuve ne se vérifie pas "
        "ou un document est manquant ou altéré ; 2 : demande invalide."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            title="actions",
            metavar="ACTION",
            help="l'opération à faire (aide : securact evidence ACTION --help)",
        )
        proof = actions.add_parser(
            "proof",
            help="preuve d'inclusion d'une entrée du journal (JSON, vérifiée avant affichage)",
        )
        proof.add_argument("entry", type=_positive, metavar="ENTRY_ID", help="numéro de l'entrée")
        proof.add_argument(
            "--size",
            type=_positive,
            metavar="N",
            help="contre le point de contrôle de taille N (par défaut : le dernier, publié "
            "sur-le-champ si aucun ne contient l'entrée)",
        )
        consistency = actions.add_parser(
            "consistency", help="preuve de cohérence entre deux tailles du journal (JSON)"
        )
        consistency.add_argument("old", type=_positive, metavar="OLD", help="ancienne taille")
        consistency.add_argument("new", type=_positive, metavar="NEW", help="nouvelle taille")
        actions.add_parser("checkpoint", help="publie un point de contrôle maintenant et l'affiche")
        bundle = actions.add_parser("bundle", help="écrit le dossier de preuve d'une signification")
        bundle.add_argument(
            "signification", type=_positive, metavar="SIGNIFICATION_ID", help="son numéro"
        )
        bundle.add_argument(
            "--out", required=True, type=Path, metavar="FILE.zip", help="le fichier ZIP à écrire"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "proof":
                document = journal_members.checked_inclusion_proof(
                    options["entry"], options["size"]
                )
                self.stdout.write(json_bytes(document).decode(), ending="")
            elif action == "consistency":
                document = journal_members.checked_consistency_proof(options["old"], options["new"])
                self.stdout.write(json_bytes(document).decode(), ending="")
            elif action == "checkpoint":
                published = journal_members.publish_now()
                self.stdout.write(published.note.decode("utf-8"), ending="")
            else:
                self._bundle(options["signification"], options["out"])
        except journal_members.ProofUnavailable as refused:
            fail(self, refused.message, 2)
        except (journal_members.ProofFailed, BundleRefused) as failed:
            fail(self, failed.message, 1)
        except Refusal as refused:  # the TSA or the token while publishing a checkpoint
            fail(self, refused.message, 1)

    def _bundle(self, signification_id: int, out: Path) -> None:
        if not out.parent.is_dir():
            fail(self, gettext("Le dossier %(folder)s n'existe pas.") % {"folder": out.parent}, 2)
        try:
            result = build_bundle(signification_id, out)
        except Signification.DoesNotExist:
            fail(
                self,
                gettext("La signification n° %(pk)d n'existe pas.") % {"pk": signification_id},
                2,
            )
        self.stdout.write(
            gettext(
                "Dossier de preuve de la signification n° %(pk)d écrit dans %(file)s "
                "(%(count)d fichiers, point de contrôle de taille %(size)d)."
            )
            % {
                "pk": result.signification_id,
                "file": out,
                "count": len(result.members) + 1,
                "size": result.tree_size,
            }
        )
