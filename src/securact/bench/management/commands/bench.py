"""``securact bench`` (what ``make bench`` runs): this machine's figures, in two parts.

* The service process (``securact.bench.runner``): per-step medians, end to end times and
  acts per second with one and two workers, the primitives alone, the ratios the issue sets
  as targets. ``--process-only`` runs it alone.
* The pages (``securact.bench.pages_runner``): server time of the dashboard, the four
  category tables, the search by each criterion and the detail on 100 000 significations
  on SQLite and 1 000 000 on PostgreSQL. ``--pages-only`` runs it alone.
* The journal's Merkle tree (``securact.bench.journal_tree``): appends per second with
  eight writers, inclusion proofs and the integration of a million entries, on the
  PostgreSQL page database once its pages are measured. ``--journal-only`` runs it alone on
  a fresh database of ``--journal-entries`` entries.

It works in ``var/bench/`` with its own databases and demo PKI (served on port 9792), so it
re-executes itself with that environment first; it starts and always stops its own PKI
server, SMTP sink, unoserver, workers and throwaway PostgreSQL server.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securact.bench.environment import bench_paths, in_bench_environment, reexec

PROCESS_COUNTS = ("acts", "alone", "repeat")
PAGE_COUNTS = (
    "pages_sqlite",
    "pages_postgresql",
    "page_requests",
    "page_warmup",
    "vault_files",
)
JOURNAL_COUNTS = ("journal_entries", "journal_integrate", "journal_seconds")


class Command(BaseCommand):
    help = "Mesure le processus de signification et les pages sur cette machine (make bench)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--acts", type=int, default=10, help="actes PDF et DOCX par rafale (défaut 10)"
        )
        parser.add_argument(
            "--alone", type=int, default=5, help="actes de chaque type servis un par un (défaut 5)"
        )
        parser.add_argument(
            "--repeat", type=int, default=5, help="mesures de chaque primitive (défaut 5)"
        )
        parts = parser.add_mutually_exclusive_group()
        parts.add_argument(
            "--process-only", action="store_true", help="le processus de signification seul"
        )
        parts.add_argument("--pages-only", action="store_true", help="les pages seules")
        parts.add_argument(
            "--journal-only", action="store_true", help="l'arbre de Merkle du journal seul"
        )
        parser.add_argument(
            "--journal-entries",
            type=int,
            default=9_500_000,
            help="entrées du journal mesuré seul (--journal-only ; défaut 9500000)",
        )
        parser.add_argument(
            "--journal-integrate",
            type=int,
            default=1_000_000,
            help="entrées nouvelles intégrées d'un coup (défaut 1000000 ; 0 : pas de mesure)",
        )
        parser.add_argument(
            "--journal-seconds",
            type=float,
            default=10.0,
            help="durée des ajouts concurrents au journal, en secondes (défaut 10)",
        )
        parser.add_argument("--journal-child", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument(
            "--pages-sqlite",
            type=int,
            default=100_000,
            help="significations sur SQLite (défaut 100000 ; 0 : pas de mesure)",
        )
        parser.add_argument(
            "--pages-postgresql",
            type=int,
            default=1_000_000,
            help="significations sur PostgreSQL (défaut 1000000 ; 0 : pas de mesure)",
        )
        parser.add_argument(
            "--page-requests", type=int, default=30, help="requêtes mesurées par page (défaut 30)"
        )
        parser.add_argument(
            "--page-warmup", type=int, default=3, help="requêtes d'échauffement par page (défaut 3)"
        )
        parser.add_argument(
            "--vault-files",
            type=int,
            default=100_000,
            help="fichiers du coffre-fort de la banque mesuré (défaut 100000 ; 0 : pas de mesure)",
        )
        # One database's measurement, in a child process (see securact.bench.pages_runner).
        parser.add_argument(
            "--pages-child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS
        )

    def handle(self, *args: Any, **options: Any) -> None:
        process = {name: options[name] for name in PROCESS_COUNTS}
        page = {name: options[name] for name in PAGE_COUNTS}
        if min(process.values()) < 1 or page["page_requests"] < 1:
            raise CommandError("--acts, --alone, --repeat et --page-requests valent au moins 1.")
        if min(page.values()) < 0:
            raise CommandError("Les nombres de significations et de requêtes sont positifs.")
        paths = bench_paths()
        if not in_bench_environment(paths):
            reexec(paths, _arguments(options))
        journal = {name: options[name] for name in JOURNAL_COUNTS}
        if options["pages_child"]:
            self._child(options["pages_child"], page, journal)
            return
        if options["journal_child"] or options["journal_only"]:
            self._journal(journal, child=options["journal_child"])
            return
        failures = []
        try:
            if not options["pages_only"]:
                failures += self._process(process)
            if not options["process_only"]:
                failures += self._pages(page, journal)
        except KeyboardInterrupt as interrupted:
            raise CommandError("Mesure interrompue.", returncode=130) from interrupted
        if failures:
            raise CommandError(" ; ".join(failures))

    def _journal(self, counts: dict[str, Any], *, child: bool) -> None:
        from securact.bench import journal_tree_runner

        try:
            if child:
                journal_tree_runner.run_child(counts)
            else:
                journal_tree_runner.run(counts, out=self.stdout)
        except KeyboardInterrupt as interrupted:
            raise CommandError("Mesure interrompue.", returncode=130) from interrupted

    def _process(self, counts: dict[str, int]) -> list[str]:
        from securact.bench import runner

        results = runner.run(out=self.stdout, **counts)
        if results["errors"]:
            failed = len(results["errors"])
            return [f"{failed} acte(s) n'ont pas abouti : voir {results['results_path']}"]
        return []

    def _pages(self, counts: dict[str, int], journal: dict[str, Any]) -> list[str]:
        from securact.bench import pages_runner

        results = pages_runner.run(
            {"sqlite": counts["pages_sqlite"], "postgresql": counts["pages_postgresql"]},
            counts["page_requests"],
            counts["page_warmup"],
            out=self.stdout,
            vault_files=counts["vault_files"],
            journal=journal,
        )
        failed = [d["vendor"] for d in results["databases"] if d.get("error")]
        failed += [
            f"{d['vendor']} {p['name']}"
            for d in results["databases"]
            for p in d["pages"]
            if p["errors"]
        ]
        if failed:
            return [
                f"mesure des pages en échec ({', '.join(failed)}) : voir {results['results_path']}"
            ]
        return []

    def _child(self, vendor: str, counts: dict[str, int], journal: dict[str, Any]) -> None:
        from securact.bench import pages_runner

        try:
            pages_runner.run_child(
                vendor,
                counts[f"pages_{vendor}"],
                counts["page_requests"],
                counts["page_warmup"],
                vault_files=counts["vault_files"],
                journal=journal,
            )
        except KeyboardInterrupt as interrupted:
            raise CommandError("Mesure interrompue.", returncode=130) from interrupted


def _arguments(options: dict[str, Any]) -> list[str]:
    """The options again, for the re-executed command."""
    counts = PROCESS_COUNTS + PAGE_COUNTS + JOURNAL_COUNTS
    arguments = [f"--{name.replace('_', '-')}={options[name]}" for name in counts]
    flags = ("process_only", "pages_only", "journal_only", "journal_child")
    arguments += [f"--{flag.replace('_', '-')}" for flag in flags if options[flag]]
    if options["pages_child"]:
        arguments.append(f"--pages-child={options['pages_child']}")
    return arguments
