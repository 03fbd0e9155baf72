"""``securact bench`` (what ``make bench`` runs): the service process measured on this
machine — per-step medians, end to end times and acts per second with one and two workers,
the primitives alone, the ratios the issue sets as targets. See ``securact.bench``.

It works in ``var/bench/`` with its own SQLite database and demo PKI (served on port 9792),
so it re-executes itself with that environment first; it starts and always stops its own
PKI server, SMTP sink, unoserver and workers.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securact.bench.environment import bench_paths, in_bench_environment, reexec


class Command(BaseCommand):
    help = "Mesure le processus de signification sur cette machine (make bench)."
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

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {name: options[name] for name in ("acts", "alone", "repeat")}
        if min(counts.values()) < 1:
            raise CommandError("--acts, --alone et --repeat doivent valoir au moins 1.")
        paths = bench_paths()
        if not in_bench_environment(paths):
            reexec(paths, [f"--{name}={value}" for name, value in counts.items()])
        from securact.bench import runner

        try:
            results = runner.run(out=self.stdout, **counts)
        except KeyboardInterrupt as interrupted:
            raise CommandError("Mesure interrompue.", returncode=130) from interrupted
        if results["errors"]:
            failed = len(results["errors"])
            raise CommandError(
                f"{failed} acte(s) n'ont pas abouti : voir {results['results_path']}"
            )
