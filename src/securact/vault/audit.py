"""Fixity audits (*contrôler*, F7.4, NF Z42-020): re-read stored content and compare its hash
with the one recorded at deposit.

An audit takes one vault or all of them, every file or a sample (the least recently checked
first, so that repeated sampled audits go round every file). Each file ends ``intact``,
``altered`` (other bytes), ``missing`` (no content in the store) or ``unreadable`` (the store
answered with an error, or the recorded hash algorithm is not one Securact knows). A content
shared by several files (same SHA-256) is read once per audit.

Nothing is repaired: a problem is recorded on the file (``fixity_state``), journaled in its
vault's journal (``vault.file.altered`` / ``missing`` / ``unreadable``), logged, and shown to
operators (admin) and to the owner (``file_warning``). Every audit is journaled
(``vault.audit.completed`` with its counts) and kept as a ``FixityAudit`` row. A content that
cannot be read never stops the audit of the others.

``securact vault check`` runs an audit on demand; ``audit_schedule`` runs one in the workers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from securact.evidence import journal
from securact.vault.journaling import VaultAction, record
from securact.vault.models import FixityAudit, StoredFile, Vault
from securact.vault.storage import CHUNK, open_blob

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
Fixity = StoredFile.Fixity

# The algorithms an audit can recompute, by the name recorded with each hash.
ALGORITHMS: dict[str, Callable[[], Any]] = {"sha-256": hashlib.sha256}

PROBLEMS = frozenset({Fixity.ALTERED, Fixity.MISSING, Fixity.UNREADABLE})
ACTIONS: dict[str, str] = {
    Fixity.ALTERED: VaultAction.ALTERED,
    Fixity.MISSING: VaultAction.MISSING,
    Fixity.UNREADABLE: VaultAction.UNREADABLE,
}
# Hashes looked at per page in a full audit; intact files updated per statement.
_HASH_PAGE = 500
_ROW_PAGE = 500
_UPDATE_BATCH = 500
# What an audit loads of a file: enough to journal it (``file_facts``), not its timestamp.
_FIELDS = (
    "pk",
    "vault_id",
    "folder",
    "name",
    "kind",
    "hash_algorithm",
    "sha256",
    "size",
    "signification_id",
    "fixity_state",
)


@dataclass(frozen=True)
class Finding:
    """What re-reading one content found: its state and the facts for the journal."""

    state: str
    facts: dict[str, Any] = field(default_factory=dict)
    read: bool = True  # False: nothing was read (an unknown algorithm)

    def detail(self) -> str:
        """The state in French, with what was found."""
        label = str(Fixity(self.state).label)
        if self.state == Fixity.ALTERED:
            return gettext("%(label)s (empreinte relue %(found)s, %(size)s octets lus)") % {
                "label": label,
                "found": self.facts["found_hash"],
                "size": self.facts["found_size"],
            }
        if self.facts.get("error"):
            return f"{label} ({self.facts['error']})"
        return label


@dataclass(frozen=True)
class Problem:
    stored: StoredFile
    vault: Vault
    finding: Finding


@dataclass
class AuditReport:
    audit: FixityAudit
    contents_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    interrupted: bool = False

    @property
    def intact(self) -> bool:
        return not self.problems


# --- one content ---------------------------------------------------------------------------


def check_content(sha256: str, algorithm: str) -> Finding:
    """Re-read the content recorded as ``sha256`` (by ``algorithm``) and say what it is now.
    Never raises for the store: an error is the finding."""
    make_digest = ALGORITHMS.get(algorithm.strip().lower())
    if make_digest is None:
        return Finding(
            Fixity.UNREADABLE,
            {
                "error": gettext("algorithme d'empreinte non pris en charge : « %(name)s »")
                % {"name": algorithm},
                "reason": "unknown_algorithm",
            },
            read=False,
        )
    digest = make_digest()
    size = 0
    try:
        with open_blob(sha256) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:  # what both backends raise for a content they do not have
        return Finding(Fixity.MISSING)
    except Exception as error:  # whatever else the store says, the audit goes on
        return Finding(Fixity.UNREADABLE, {"error": f"{type(error).__name__}: {error}"})
    found = digest.hexdigest()
    if found != sha256.lower():
        return Finding(Fixity.ALTERED, {"found_hash": found, "found_size": size})
    return Finding(Fixity.INTACT)


# --- an audit ------------------------------------------------------------------------------


def audit_vaults(
    vault: Vault | None = None, *, sample: int | None = None, trigger: str = "command"
) -> AuditReport:
    """Audit ``vault`` (or every vault): every file, or the ``sample`` least recently checked."""
    audit = FixityAudit.objects.create(
        vault=vault, sample=sample, trigger=trigger, started_at=timezone.now()
    )
    return run_audit(audit)


def run_audit(audit: FixityAudit, stop: threading.Event | None = None) -> AuditReport:
    """Run the audit ``audit`` describes (its vault, its sample), fill its counts, journal it.
    When ``stop`` is set (the worker stops), the audit ends early and says so in its entry."""
    run = _Run(audit)
    scope = StoredFile.objects.all()
    if audit.vault_id is not None:
        scope = scope.filter(vault_id=audit.vault_id)
    groups = _sampled(scope, audit.sample) if audit.sample else _every_content(scope)
    for rows in groups:
        if stop is not None and stop.is_set():
            run.report.interrupted = True
            break
        run.check(rows)
    run.finish()
    return run.report


def _every_content(scope: QuerySet[StoredFile]) -> Iterator[list[StoredFile]]:
    """Every file of ``scope``, grouped by content, a page of hashes at a time."""
    after = ""
    while True:
        hashes = list(
            scope.filter(sha256__gt=after)
            .order_by("sha256")
            .values_list("sha256", flat=True)
            .distinct()[:_HASH_PAGE]
        )
        if not hashes:
            return
        rows = scope.filter(sha256__in=hashes).only(*_FIELDS).order_by("sha256", "pk")
        yield from _by_content(list(rows))
        after = hashes[-1]


def _sampled(scope: QuerySet[StoredFile], sample: int) -> Iterator[list[StoredFile]]:
    """The ``sample`` files checked longest ago (never checked first), grouped by content;
    picked as (id, hash) pairs, then loaded a page at a time (a tenth of a million files is
    a list of pairs, not of models)."""
    oldest = F("fixity_checked_at").asc(nulls_first=True)
    picked = scope.order_by(oldest, "pk").values_list("pk", "sha256")[:sample]
    by_content: dict[str, list[int]] = {}
    for pk, sha256 in picked:
        by_content.setdefault(sha256, []).append(pk)
    page: list[int] = []
    for pks in by_content.values():  # a content's files always in the same page
        page.extend(pks)
        if len(page) >= _ROW_PAGE:
            yield from _by_content(list(scope.filter(pk__in=page).only(*_FIELDS)))
            page = []
    if page:
        yield from _by_content(list(scope.filter(pk__in=page).only(*_FIELDS)))


def _by_content(rows: list[StoredFile]) -> Iterator[list[StoredFile]]:
    groups: dict[str, list[StoredFile]] = {}
    for row in rows:
        groups.setdefault(row.sha256, []).append(row)
    yield from groups.values()


class _Run:
    """The state of one audit while it runs: counts per vault, intact files to mark."""

    def __init__(self, audit: FixityAudit) -> None:
        self.report = AuditReport(audit)
        self.audit = audit
        self.counts: dict[int, Counter[str]] = {}
        self.intact_again: dict[int, list[int]] = {}
        self.to_mark_intact: list[int] = []
        self.vaults: dict[int, Vault] = {}

    def check(self, rows: list[StoredFile]) -> None:
        """The files of one content: read it once (per algorithm), record each file."""
        findings: dict[str, Finding] = {}
        for row in rows:
            algorithm = row.hash_algorithm
            if algorithm not in findings:
                findings[algorithm] = check_content(row.sha256, algorithm)
                self.report.contents_read += findings[algorithm].read
            self._record(row, findings[algorithm])

    def _record(self, row: StoredFile, finding: Finding) -> None:
        if finding.state == Fixity.INTACT:
            self.counts.setdefault(row.vault_id, Counter())[finding.state] += 1
            if row.fixity_state in PROBLEMS:  # its content is back: said in the audit's entry
                self.intact_again.setdefault(row.vault_id, []).append(row.pk)
            self.to_mark_intact.append(row.pk)
            if len(self.to_mark_intact) >= _UPDATE_BATCH:
                self._mark_intact()
            return
        vault = self._vault(row.vault_id)
        with transaction.atomic():
            if not StoredFile.objects.filter(pk=row.pk).update(
                fixity_state=finding.state, fixity_checked_at=timezone.now()
            ):
                return  # deleted meanwhile (its content with it): not a problem, not checked
            record(
                vault,
                ACTIONS[finding.state],
                actor=journal.PLATFORM_ACTOR,
                stored=row,
                data={"audit": self.audit.pk, "previous_state": row.fixity_state, **finding.facts},
            )
        self.counts.setdefault(row.vault_id, Counter())[finding.state] += 1
        row.fixity_state = finding.state
        self.report.problems.append(Problem(row, vault, finding))
        logger.error(
            "fixity audit %s: vault %s file %s (%s%s) %s",
            self.audit.pk,
            row.vault_id,
            row.pk,
            row.folder,
            row.name,
            finding.state,
        )

    def _mark_intact(self) -> None:
        if self.to_mark_intact:
            StoredFile.objects.filter(pk__in=self.to_mark_intact).update(
                fixity_state=Fixity.INTACT, fixity_checked_at=timezone.now()
            )
            self.to_mark_intact = []

    def _vault(self, pk: int) -> Vault:
        if pk not in self.vaults:
            self.vaults[pk] = Vault.objects.select_related("bailiff", "recipient").get(pk=pk)
        return self.vaults[pk]

    def finish(self) -> None:
        self._mark_intact()
        total: Counter[str] = Counter()
        for counts in self.counts.values():
            total.update(counts)
        audit = self.audit
        audit.checked = sum(total.values())
        audit.intact = total[Fixity.INTACT]
        audit.altered = total[Fixity.ALTERED]
        audit.missing = total[Fixity.MISSING]
        audit.unreadable = total[Fixity.UNREADABLE]
        audit.finished_at = timezone.now()
        with transaction.atomic():
            audit.save()
            self._journal(total)
        logger.info(
            "fixity audit %s (%s): %s file(s) checked, %s content(s) read, %s problem(s)",
            audit.pk,
            audit.trigger,
            audit.checked,
            self.report.contents_read,
            audit.problems,
        )

    def _journal(self, total: Counter[str]) -> None:
        """One entry per vault audited (in the owner's journal), and for an audit of every
        vault one more with the totals (so that even an audit of nothing is journaled)."""
        audit = self.audit
        base: dict[str, Any] = {"audit": audit.pk, "trigger": audit.trigger, "sample": audit.sample}
        if self.report.interrupted:
            base["interrupted"] = True
        vault_ids = set(self.counts)
        if audit.vault_id is not None:
            vault_ids.add(audit.vault_id)
        for vault_id in sorted(vault_ids):
            counts = self.counts.get(vault_id, Counter())
            data = {**base, **_count_facts(counts)}
            if vault_id in self.intact_again:
                data["intact_again"] = self.intact_again[vault_id]
            # Only its number is needed: no query for each vault of an audit of all of them.
            vault = self.vaults.get(vault_id) or Vault(pk=vault_id)
            record(vault, VaultAction.AUDITED, actor=journal.PLATFORM_ACTOR, data=data)
        if audit.vault_id is None:
            journal.append(
                VaultAction.AUDITED,
                actor=journal.PLATFORM_ACTOR,
                data={
                    **base,
                    "vault": None,
                    "vaults": len(self.counts),
                    "contents_read": self.report.contents_read,
                    **_count_facts(total),
                },
            )


def _count_facts(counts: Counter[str]) -> dict[str, int]:
    return {
        "checked": sum(counts.values()),
        "intact": counts[Fixity.INTACT],
        "altered": counts[Fixity.ALTERED],
        "missing": counts[Fixity.MISSING],
        "unreadable": counts[Fixity.UNREADABLE],
    }
