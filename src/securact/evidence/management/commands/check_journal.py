"""``securact check_journal``: check every journal entry against the journal's Merkle tree.

Each entry's canonical bytes are recomputed and compared with its hash and its leaf, the
leaves must have no gap, the tiles and the head's root must follow from them, and the
entries written before the tree (format 1) must still form their hash chain
(:func:`securact.evidence.checking.check_tree`). Exit status 0 when intact, 1 when an entry
was changed, removed or inserted (named in the message), or when the database no longer
refuses changes to the journal (a trigger is missing).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from securact.evidence.checking import check_tree
from securact.evidence.checkpoint_check import verify_checkpoints
from securact.evidence.guards import missing_triggers


class Command(BaseCommand):
    help = _("Vérifie l'intégrité du journal des preuves (entrées, arbre de Merkle).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_tree()
        missing = missing_triggers(connection)
        # The signed checkpoints: a journal rewritten with its tree to match shows here.
        checkpoint_problems = verify_checkpoints()
        if report.intact and not missing and not checkpoint_problems:
            self.stdout.write(
                ngettext(
                    "Journal intègre : %(count)d entrée",
                    "Journal intègre : %(count)d entrées",
                    report.entries,
                )
                % {"count": report.entries}
            )
            self.stdout.write(
                ngettext(
                    "Arbre de Merkle : %(size)d feuille, racine %(root)s",
                    "Arbre de Merkle : %(size)d feuilles, racine %(root)s",
                    report.tree_size,
                )
                % {"size": report.tree_size, "root": report.root_hash.hex()}
            )
            return
        for problem in report.problems:
            self.stderr.write(_("Journal altéré : %(problem)s") % {"problem": problem.message})
        for found in checkpoint_problems:
            self.stderr.write(_("Journal altéré : %(problem)s") % {"problem": found.message})
        if missing:
            self.stderr.write(
                _("Protection de la base absente (déclencheurs manquants : %(names)s).")
                % {"names": ", ".join(missing)}
            )
        sys.exit(1)
