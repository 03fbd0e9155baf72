"""The ``securact`` command line in French: the main help lists SECURACT's own commands
first (one line each), then the Django ones an operator needs; every command's help and
base options read in French; the password and development-server commands are refused.

Django's ``ManagementUtility`` is kept (same dispatch, same commands); only what it prints
and which commands it lets through change.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import textwrap
from typing import Any, NoReturn

from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter

# There is no password login (README): an operator is let in by his certificate
# (`securact add_operator`), and the service runs behind gunicorn over TLS only.
REFUSED = {
    "changepassword": "il n'existe aucune connexion par mot de passe",
    "createsuperuser": (
        "il n'existe aucune connexion par mot de passe ; rattachez le certificat d'un "
        "opérateur avec « securact add_operator CERT.pem IDENTIFIANT »"
    ),
    "runserver": (
        "le service n'est servi que par gunicorn en TLS avec certificat client ; "
        "lancez « securact start » (ou « make run »)"
    ),
    "testserver": (
        "le service n'est servi que par gunicorn en TLS avec certificat client ; "
        "lancez « securact start » (ou « make run »)"
    ),
}

# The Django commands an operator of SECURACT needs, described in French.
DJANGO_COMMANDS = {
    "migrate": "Crée ou met à jour les tables de la base de données.",
    "showmigrations": "Liste les migrations et indique celles qui sont appliquées.",
    "check": "Vérifie la configuration du projet.",
    "collectstatic": "Rassemble les fichiers statiques (déploiement derrière nginx).",
    "clearsessions": "Supprime les sessions expirées.",
    "db_worker": "Worker de tâches brut de django-tasks (préférez « securact worker »).",
    "prune_db_task_results": "Supprime les anciens résultats de tâches.",
    "shell": "Ouvre un interpréteur Python avec SECURACT chargé.",
    "dbshell": "Ouvre le client en ligne de commande de la base de données.",
}

# One line for the SECURACT commands whose own help is longer (the others: its first sentence).
SUMMARIES = {
    "sweep_deliveries": "Décide la remise des significations dont l'échéance est passée.",
    "bench": "Mesure le processus de signification et les pages (make bench).",
    "declare": "Déclare un certificat et crée le coffre-fort de son titulaire, sans navigateur.",
    "evidence": (
        "Preuves du journal (inclusion, cohérence, point de contrôle) et dossier de preuve "
        "d'une signification."
    ),
    "export": "Export de réversibilité d'une étude ou d'un destinataire (BagIt).",
    "vault": (
        "Coffres-forts : « securact vault check » contrôle l'intégrité des fichiers "
        "(empreintes SHA-256)."
    ),
}

BASE_OPTION_HELP = {
    "help": "Affiche cette aide et quitte.",
    "version": "Affiche la version et quitte.",
    "verbosity": "Niveau de détail : 0 minimal, 1 normal, 2 détaillé, 3 très détaillé.",
    "settings": (
        "Module Python des réglages (par défaut : la variable DJANGO_SETTINGS_MODULE, "
        "securact.settings)."
    ),
    "pythonpath": "Dossier à ajouter au chemin de recherche de Python.",
    "traceback": "Affiche la pile d'appels complète en cas d'erreur.",
    "no_color": "N'utilise pas de couleurs.",
    "force_color": "Force les couleurs.",
    "skip_checks": "Ne lance pas les vérifications du système.",
}

# argparse's own messages (its catalogue has no French): the frequent ones.
ARGPARSE_ERRORS = [
    (r"the following arguments are required: (.*)", "arguments obligatoires manquants : {0}"),
    (r"unrecognized arguments: (.*)", "arguments inconnus : {0}"),
    (r"argument (\S+): expected one argument", "l'option {0} attend une valeur"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        "choix invalide pour {0} : {1} (possibles : {2})",
    ),
    (r"argument (\S+): invalid (.*)", "valeur invalide pour {0} : {1}"),
]


class FrenchHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


def _french_error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    for pattern, french in ARGPARSE_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            message = french.format(*match.groups())
            break
    parser.print_usage(sys.stderr)
    parser.exit(2, f"{parser.prog} : erreur : {message}\n")


def frenchify(command: BaseCommand) -> BaseCommand:
    """Make ``command``'s parser speak French (usage line, base options, errors)."""
    original = command.create_parser

    def create_parser(prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        parser = original(prog_name, subcommand, **kwargs)
        _frenchify_parser(parser, getattr(command, "_called_from_command_line", False))
        return parser

    command.create_parser = create_parser  # type: ignore[method-assign]
    return command


def _frenchify_parser(parser: argparse.ArgumentParser, from_command_line: bool) -> None:
    """Titles, base options' help and errors in French; the same for its sub-commands
    (``securact vault check``)."""
    parser.formatter_class = FrenchHelpFormatter
    parser._positionals.title = "arguments"
    parser._optionals.title = "options"
    for action in parser._actions:
        if action.dest in BASE_OPTION_HELP:
            action.help = BASE_OPTION_HELP[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _frenchify_parser(sub, from_command_line)
    if from_command_line:
        parser.error = lambda message: _french_error(parser, message)  # type: ignore[method-assign]


def fail(command: BaseCommand, message: str, status: int) -> NoReturn:
    """End a command with ``message`` on standard error and exit ``status``: what a
    CommandError does, without the English « CommandError: » prefix."""
    command.stderr.write(message)
    raise SystemExit(status)


def _entry(name: str, width: int, description: object) -> list[str]:
    """One command and its description, wrapped under the description column."""
    text = " ".join(str(description or "").split())
    return textwrap.wrap(
        text,
        110,
        initial_indent=f"  {name.ljust(width)}",
        subsequent_indent=" " * (width + 2),
    )


class SecuractUtility(ManagementUtility):
    """Django's dispatcher with SECURACT's help and refusals."""

    def fetch_command(self, subcommand: str) -> BaseCommand:
        if subcommand in REFUSED:
            sys.stderr.write(
                f"Commande « {subcommand} » refusée : {REFUSED[subcommand]}. "
                "L'accès à SECURACT se fait uniquement par certificat.\n"
            )
            sys.exit(2)
        commands = get_commands()
        if subcommand not in commands and "DJANGO_SETTINGS_MODULE" in os.environ:
            close = difflib.get_close_matches(subcommand, sorted(set(commands) - set(REFUSED)), n=1)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
            sys.stderr.write(
                f"Commande inconnue : « {subcommand} ».{hint} "
                "La liste des commandes : securact --help.\n"
            )
            sys.exit(1)
        return frenchify(super().fetch_command(subcommand))

    def main_help_text(self, commands_only: bool = False) -> str:
        commands = {name: app for name, app in get_commands().items() if name not in REFUSED}
        ours = sorted(name for name, app in commands.items() if app.startswith("securact."))
        if commands_only:
            return "\n".join(sorted(commands))
        width = max(len(name) for name in [*ours, *DJANGO_COMMANDS]) + 2
        lines = [
            "SECURACT — signification électronique des actes de commissaire de justice.",
            "",
            "utilisation : securact <commande> [options]",
            "Aide d'une commande : securact <commande> --help (ou securact help <commande>).",
            "",
            "Commandes SECURACT",
        ]
        for name in ours:
            help_text = str(load_command_class(commands[name], name).help)
            lines += _entry(name, width, SUMMARIES.get(name) or help_text.split(". ")[0])
        lines += ["", "Commandes Django utiles à l'exploitation"]
        for name, description in DJANGO_COMMANDS.items():
            if name in commands:
                lines += _entry(name, width, description)
        others = sorted(set(commands) - set(ours) - set(DJANGO_COMMANDS))
        lines += ["", "Autres commandes Django (aide en anglais) :"]
        lines += textwrap.wrap(", ".join(others), 88, initial_indent="  ", subsequent_indent="  ")
        return "\n".join(lines)
