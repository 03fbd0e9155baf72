"""The reversibility export of one owner (décret 2018-853; docs/evidence-log.md §6): every
vault file with its metadata, the journal entries concerning the owner with their
inclusion proofs, every checkpoint, the certificates — as a BagIt bag (the ``bagit``
library; ``bagit.py --validate DIR`` checks it).

Payload (``data/``)::

    LISEZMOI.txt                     what each part is (French)
    fichiers/coffre-<vault>/<path>   the vault files, by their path in their vault
    metadonnees/<file id>.json       each file's metadata (and .tsr: its deposit timestamp)
    fichiers.csv                     one line per file (``;``, UTF-8)
    journal/entries/<n>.json         canonical bytes of each entry
    journal/proofs/<n>.json          its inclusion proof against the latest checkpoint
    journal/checkpoints/<size>.note|.tsr|.consistency.json
    certificats/plateforme-journal.pem, certificats/autorites.pem
    rapport.json, rapport.txt        the files missing or damaged in storage (the export
                                     went on without them)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import bagit
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from securact.bundles.export_files import Problem, export_files
from securact.bundles.export_journal import (
    export_certificates,
    export_checkpoints,
    export_entries,
)
from securact.bundles.export_scope import ExportRefused, ExportScope
from securact.bundles.zipped import PARIS
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.vault.models import StoredFile

REPORT_FORMAT = "securact-export-report/1"
Progress = Callable[[int, int], None]


@dataclass
class ExportReport:
    folder: Path
    scope: ExportScope
    created_at: datetime
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    tree_size: int = 0
    checkpoints: int = 0

    @property
    def complete(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "scope": self.scope.kind,
            "owner": self.scope.label,
            "identifier": self.scope.identifier,
            "created_at": self.created_at.astimezone(PARIS).isoformat(),
            "files": {"exported": self.files, "problems": len(self.problems)},
            "problems": [problem.as_dict() for problem in self.problems],
            "journal": {
                "entries": self.entries,
                "tree_size": self.tree_size,
                "checkpoints": self.checkpoints,
            },
            "complete": self.complete,
        }


def _prepare(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportRefused(
            gettext("Le dossier %(folder)s existe déjà et n'est pas vide : choisissez-en un autre.")
            % {"folder": folder}
        )
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self._progress = 0, total, progress

    def tick(self) -> None:
        self.done += 1
        if self._progress is not None and (self.done % 50 == 0 or self.done == self.total):
            self._progress(self.done, self.total)


def count_items(scope: ExportScope) -> int:
    files = StoredFile.objects.filter(vault__in=scope.vaults()).count()
    return files + scope.entries().count()


def write_export(
    scope: ExportScope,
    folder: Path,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ExportReport:
    """Write the bag of ``scope`` into ``folder`` (absent or empty). A file missing or
    damaged in storage is reported (``rapport.json``/``rapport.txt``), never fatal.
    Publishes a checkpoint when the tree grew since the last: call it outside any
    transaction. Raises :class:`ExportRefused`."""
    folder = folder.resolve()
    _prepare(folder)
    report = ExportReport(folder, scope, now or timezone.now())
    counter = _Counter(count_items(scope), progress)
    with translation.override(LEGAL_LANGUAGE):
        report.files, report.problems = export_files(list(scope.vaults()), folder, counter.tick)
        report.entries, report.tree_size = export_entries(scope.entries(), folder, counter.tick)
        report.checkpoints = export_checkpoints(folder)
        export_certificates(folder)
        _write_texts(report)
        bagit.make_bag(str(folder), _bag_info(report), processes=1, checksums=["sha256"])
    if progress is not None:
        progress(counter.total, counter.total)
    return report


def _write_texts(report: ExportReport) -> None:
    folder = report.folder
    (folder / "rapport.json").write_text(
        json.dumps(report.as_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    context = {
        "report": report,
        "platform": settings.SECURACT_PLATFORM_NAME,
        "created_at": report.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S"),
    }
    (folder / "rapport.txt").write_text(
        render_to_string("bundles/export_rapport.txt", context), encoding="utf-8"
    )
    (folder / "LISEZMOI.txt").write_text(
        render_to_string("bundles/export_LISEZMOI.txt", context), encoding="utf-8"
    )


def _bag_info(report: ExportReport) -> dict[str, str]:
    return {
        "Source-Organization": str(settings.SECURACT_PLATFORM_NAME),
        "External-Description": gettext("Export de réversibilité — %(owner)s")
        % {"owner": report.scope.label},
        "External-Identifier": f"{report.scope.kind}:{report.scope.identifier}",
        "Bagging-Date": report.created_at.astimezone(PARIS).date().isoformat(),
        "Securact-Files": str(report.files),
        "Securact-Problems": str(len(report.problems)),
        "Securact-Journal-Entries": str(report.entries),
        "Securact-Tree-Size": str(report.tree_size),
    }
