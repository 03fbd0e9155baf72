"""``securact vault check [--vault ID] [--sample N]``: the fixity audit (*contrôler*, F7.4)
on demand; ``securact.vault.audit`` does the work.

Exit status 0 when every file checked is intact, 1 when a content is altered, missing or
unreadable (each one listed), 2 when the audit cannot start (an unknown vault, a bad sample).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, ngettext

from securact.cli_help import fail
from securact.vault.audit import AuditReport, Problem, audit_vaults
from securact.vault.audit_scope import AuditRefused, find_vault, sample_size
from securact.vault.models import Vault


class Command(BaseCommand):
    help = (
        "Contrôle l'intégrité des fichiers des coffres-forts : « securact vault check » relit "
        "leur contenu et compare son empreinte SHA-256 à celle enregistrée au dépôt. Codes de "
        "sortie : 0 : tout est intègre ; 1 : un contenu altéré, introuvable ou illisible "
        "(chacun est listé, journalisé et signalé ; rien n'est corrigé) ; 2 : demande invalide "
        "(coffre-fort inconnu…)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            title="actions",
            metavar="ACTION",
            help="l'opération à faire (aide d'une opération : securact vault ACTION --help)",
        )
        check = actions.add_parser(
            "check",
            help="contrôle l'intégrité des fichiers (tous les coffres-forts par défaut)",
            description=(
                "Relit le contenu des fichiers et compare son empreinte à celle enregistrée "
                "au dépôt. Chaque problème est journalisé dans le journal du coffre-fort."
            ),
        )
        check.add_argument(
            "--vault",
            metavar="ID",
            help="ne contrôle que ce coffre-fort (son numéro, visible dans l'administration)",
        )
        check.add_argument(
            "--sample",
            metavar="N",
            help="ne contrôle que N fichiers, ceux contrôlés il y a le plus longtemps d'abord "
            "(des contrôles répétés finissent par couvrir tous les fichiers)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2 and getattr(self, "_called_from_command_line", False):
            # On a terminal, the summary and the problem lines, not the log's lines too.
            logging.getLogger("securact.vault.audit").setLevel(logging.CRITICAL)
        try:
            vault = find_vault(options["vault"]) if options["vault"] is not None else None
            sample = sample_size(options["sample"])
        except AuditRefused as refused:
            fail(self, refused.message, 2)
        report = audit_vaults(vault, sample=sample, trigger="command")
        self.stdout.write(summary(report))
        if report.intact:
            return
        self.stderr.write(
            ngettext(
                "%(count)d fichier en défaut d'intégrité (rien n'a été corrigé) :",
                "%(count)d fichiers en défaut d'intégrité (rien n'a été corrigé) :",
                len(report.problems),
            )
            % {"count": len(report.problems)}
        )
        for problem in report.problems:
            self.stderr.write(f"  {problem_line(problem)}")
        raise SystemExit(1)


def vault_label(vault: Vault) -> str:
    """A vault as the command line names it: its number and its owner."""
    owner = vault.bailiff or vault.recipient
    return gettext("coffre-fort n° %(pk)s (%(owner)s)") % {"pk": vault.pk, "owner": owner}


def problem_line(problem: Problem) -> str:
    stored = problem.stored
    path = f"{stored.folder.rstrip('/')}/{stored.name}"
    return f"{vault_label(problem.vault)} — {path} : {problem.finding.detail()}"


def summary(report: AuditReport) -> str:
    audit = report.audit
    scope = vault_label(audit.vault) if audit.vault else gettext("tous les coffres-forts")
    if audit.sample:
        scope += ngettext(
            ", échantillon de %(count)d fichier",
            ", échantillon de %(count)d fichiers",
            audit.sample,
        ) % {"count": audit.sample}
    files = ngettext(
        "%(count)d fichier contrôlé", "%(count)d fichiers contrôlés", audit.checked
    ) % {"count": audit.checked}
    contents = ngettext(
        "%(count)d contenu relu", "%(count)d contenus relus", report.contents_read
    ) % {"count": report.contents_read}
    return gettext(
        "Contrôle d'intégrité n° %(audit)s (%(scope)s) : %(files)s, %(contents)s — "
        "intègres : %(intact)d, altérés : %(altered)d, introuvables : %(missing)d, "
        "illisibles : %(unreadable)d."
    ) % {
        "audit": audit.pk,
        "scope": scope,
        "files": files,
        "contents": contents,
        "intact": audit.intact,
        "altered": audit.altered,
        "missing": audit.missing,
        "unreadable": audit.unreadable,
    }
