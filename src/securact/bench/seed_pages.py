"""Seed the page benchmark's database: ``count`` significations with everything the pages
read — acts, the six steps, the author's deposit certificate and archive, the dashboard's
notices and counters, the journal entries — around the signed-in bailiff, whose étude
holds 65 % of them (``seed_directory``).

Rows go in through bulk SQL (``bulk``: COPY on PostgreSQL, batched executemany on SQLite;
the steps by one ``INSERT … SELECT`` in the database), not through the services: a million
significations take minutes this way. The same code seeds a few hundred in a test.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from securact.bench import bulk, seed_directory, seed_journal, seed_notices
from securact.bench.seed_significations import (
    ACT_FIELDS,
    SIGNIFICATION_FIELDS,
    STORED_FILE_FIELDS,
    Drawn,
    act_rows,
    draw,
    signification_rows,
    stored_file_rows,
)
from securact.dashboard.models import DashboardNotice
from securact.dashboard.services import recount
from securact.directory.models import Bailiff
from securact.evidence.models import JournalEntry, JournalLeaf
from securact.significations.models import Act, Signification, Step
from securact.significations.process import ORDER
from securact.vault.folders import sync_folders
from securact.vault.models import StoredFile

SEED = 20261127
FAILED_STEP_ERROR = "Le jeton de signature n'a pas répondu : signature impossible."


@dataclass
class SeedReport:
    count: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@contextmanager
def _timed(report: SeedReport, name: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(f"seeding: {name}")
    started = time.perf_counter()
    yield
    report.seconds[name] = time.perf_counter() - started


LOADED = (Signification, Act, Step, StoredFile, DashboardNotice, JournalEntry, JournalLeaf)


def seed(
    bailiff: Bailiff,
    count: int,
    *,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _message: None,
    defer_indexes: bool = False,
) -> SeedReport:
    """Seed ``count`` significations; works in the caller's transaction if there is one
    (a test), else each table commits on its own (the benchmark, which also builds the
    tables' indexes once at the end: ``defer_indexes``, outside any transaction only)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    now = now or timezone.now()
    report = SeedReport(count)
    with _timed(report, "directory", progress):
        directory = seed_directory.build(bailiff, count, rng)
    with _timed(report, "draw", progress):
        first_id = (Signification.objects.aggregate(last=Max("id"))["last"] or 0) + 1
        drawn = draw(directory, count, first_id, now, rng)
    _fast_writes()
    with ExitStack() as deferred:
        if defer_indexes:
            deferred.enter_context(bulk.indexes_dropped(LOADED))
        _load(report, drawn, first_id, now, rng, progress)
        progress("seeding: indexes and constraints")
        started = time.perf_counter()
    report.seconds["indexes"] = time.perf_counter() - started
    return report


def _load(
    report: SeedReport,
    drawn: list[Drawn],
    first_id: int,
    now: datetime,
    rng: random.Random,
    progress: Callable[[str], None],
) -> None:
    count = len(drawn)
    with _timed(report, "significations", progress):
        report.rows["significations"] = bulk.insert(
            Signification, SIGNIFICATION_FIELDS, signification_rows(drawn)
        )
        _reset_sequence()
    with _timed(report, "acts", progress):
        report.rows["acts"] = bulk.insert(Act, ACT_FIELDS, act_rows(drawn))
    with _timed(report, "steps", progress):
        report.rows["steps"] = insert_steps(first_id, first_id + count - 1)
    with _timed(report, "stored files", progress):
        report.rows["stored files"] = bulk.insert(
            StoredFile, STORED_FILE_FIELDS, stored_file_rows(drawn, rng)
        )
    with _timed(report, "vault folders", progress):
        # The vault pages read subfolders from Folder rows (vault.folders): give the
        # bulk-loaded files' folders theirs, as deposits do.
        report.rows["vault folders"] = sync_folders()
    with _timed(report, "dashboard notices", progress):
        rows = seed_notices.notice_rows(drawn, now, rng)
        report.rows["dashboard notices"] = bulk.insert(
            DashboardNotice, seed_notices.NOTICE_FIELDS, rows
        )
        recount()
    with _timed(report, "journal", progress):
        report.rows["journal entries"] = seed_journal.append_all(drawn, rng)


def _fast_writes() -> None:
    """PostgreSQL: this session's commits need not wait for the disk (a lost benchmark
    seed is simply made again)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


def _reset_sequence() -> None:
    """The ids were given explicitly: PostgreSQL's sequence must continue after them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Signification]):
            cursor.execute(sql)


def insert_steps(first_id: int, last_id: int) -> int:
    """The six steps of each seeded signification, made in the database from its state:
    all done once deposited; a failed one stopped at the signature; one in progress waits
    for the bailiff's token."""
    values = ", ".join("(%s, %s)" for _ in ORDER)
    params: list[Any] = [
        part for position, name in enumerate(ORDER, 1) for part in (str(name), position)
    ]
    step, signification = bulk.table_of(Step), bulk.table_of(Signification)
    sql = f"""
        WITH step_names(name, position) AS (VALUES {values})
        INSERT INTO {step}
            (signification_id, name, position, state, attempts, error, claimed_by,
             started_at, finished_at)
        SELECT s.id, n.name, n.position,
            CASE WHEN s.state = 'done' OR n.position = 1 THEN 'done'
                 WHEN n.position = 2 AND s.state = 'failed' THEN 'failed'
                 WHEN n.position = 2 THEN 'waiting'
                 ELSE 'pending' END,
            CASE WHEN s.state = 'done' OR n.position <= 2 THEN 1 ELSE 0 END,
            CASE WHEN n.position = 2 AND s.state = 'failed' THEN %s ELSE '' END,
            '',
            CASE WHEN s.state = 'done' OR n.position <= 2 THEN s.created_at END,
            CASE WHEN s.state = 'done' THEN s.sent_at
                 WHEN n.position = 1 THEN s.created_at END
        FROM {signification} s CROSS JOIN step_names n
        WHERE s.id BETWEEN %s AND %s
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, FAILED_STEP_ERROR, first_id, last_id])
    # (sqlite3 gives no row count for a statement that starts with WITH)
    return Step.objects.filter(signification__id__range=(first_id, last_id)).count()


def finish() -> None:
    """Statistics for the planner, and on PostgreSQL the visibility map that lets counts
    read indexes only: what a database that has lived for years has (outside any
    transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
