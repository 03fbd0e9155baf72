"""The journal's Merkle tree measured (issue 12, item 7), on PostgreSQL:

* **appends**: eight writer processes (``journal_writer``) append at once for a few seconds,
  each entry its own committed transaction through ``journal.append`` (its integration after
  the commit included); entries per second over all of them. Target ≥ 2 000/s.
* **inclusion proofs**: ``tree.inclusion_proof`` of random entries against the current tree
  of the seeded journal; p95. Target < 5 ms at ≥ 9 000 000 entries.
* **integration and checkpoint**: a checkpoint is published, then a million entries are
  appended without being integrated (pending rows, seeded by COPY); ``tree.integrate()`` is
  timed, then the signed checkpoint over them (``checkpoints.publish_checkpoint``: signed on
  the token, timestamped by the TSA, with its consistency proof from the previous one).
  Target < 10 s for both (issue 12: "a checkpoint over a million new entries in < 10 s").

In ``make bench`` it runs in the PostgreSQL page benchmark's child, on the journal the page
seed made (a million significations: some nine million entries); ``securact bench
--journal-only`` runs it alone on a fresh database holding ``--journal-entries`` synthetic
entries (``journal_tree_runner``).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from django.db.models import Max

from securact.bench import bulk, seed_journal
from securact.bench.processes import cpu_snapshot, cpu_used
from securact.bench.report import Writer
from securact.bench.seed_journal import Event
from securact.core.errors import Refusal
from securact.evidence import journal, tree
from securact.evidence.journal import PLATFORM_ACTOR
from securact.evidence.models import JournalEntry, JournalLeaf, JournalPending
from securact_verifier.merkle import verify_inclusion

TARGET_APPENDS_PER_S = 2000.0
TARGET_PROOF_P95_MS = 5.0
TARGET_PROOF_AT = 9_000_000
TARGET_INTEGRATION_S = 10.0  # per million entries
WRITERS = 8
SEED = 20261205

Progress = Callable[[str], None]


def measure(
    progress: Progress,
    *,
    writers: int = WRITERS,
    seconds: float = 10.0,
    proofs: int = 1000,
    integrate: int = 1_000_000,
) -> dict[str, Any]:
    """Every figure of the module docstring, on the current database's journal."""
    progress("journal: integrating what is pending")
    tree.integrate()
    figures: dict[str, Any] = {"entries": tree.current_head().size}
    progress(f"journal: {proofs} inclusion proofs at {figures['entries']:,} leaves")
    figures["proofs"] = measure_proofs(proofs)
    progress(f"journal: {writers} writers appending for {seconds:.0f} s")
    figures["appends"] = measure_appends(writers, seconds)
    if integrate:
        progress(f"journal: integrating {integrate:,} new entries")
        figures["integration"] = measure_integration(integrate, progress)
    return figures


# --- inclusion proofs ------------------------------------------------------------------------


def measure_proofs(count: int) -> dict[str, Any]:
    head = tree.current_head()
    if head.size == 0:
        return {"count": 0, "tree_size": 0}
    rng = random.Random(SEED)  # noqa: S311 - not secrets
    indices = [rng.randrange(head.size) for _ in range(count)]
    sequences = dict(JournalLeaf.objects.filter(index__in=indices).values_list("index", "sequence"))
    timings, proofs = [], []
    for index in indices:
        started = time.perf_counter()
        proof = tree.inclusion_proof(sequences[index], head.size)
        timings.append((time.perf_counter() - started) * 1000)
        proofs.append(proof)
    for proof in proofs:  # each proof checked, outside the timings
        verify_inclusion(proof.leaf_hash, proof.leaf_index, head.size, proof.hashes, head.root_hash)
    timings.sort()
    return {
        "count": count,
        "tree_size": head.size,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
        "hashes": max(len(p.hashes) for p in proofs),
    }


# --- appends ---------------------------------------------------------------------------------


def measure_appends(writers: int, seconds: float) -> dict[str, Any]:
    settings = durability()
    before = JournalEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    size_before = tree.current_head().size
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "securact.bench.journal_writer", f"w{n}", str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(writers)
    ]
    try:
        results, cpu = _run_writers(processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    counts = [int(result[0]) for result in results]
    elapsed = max(float(result[1]) for result in results)
    left = JournalPending.objects.count()  # what the appends' own integrations skipped
    tree.integrate()
    appended = JournalEntry.objects.filter(sequence__gt=before).count()
    head = tree.current_head()
    gapless = (
        JournalLeaf.objects.filter(index__gte=size_before).count() == head.size - size_before
        and JournalLeaf.objects.aggregate(last=Max("index"))["last"] == head.size - 1
    )
    total = sum(counts)
    return {
        "writers": writers,
        "seconds": elapsed,
        "entries": total,
        "per_second": total / elapsed,
        # Every writer's own session had fsync and synchronous_commit on: an entry was on
        # disk when its transaction committed (the "durable when it commits").
        "durable": bool(cpu["durable"]),
        "durability": settings,
        "pending_after": left,
        "all_integrated": appended == head.size - size_before == total and gapless,
        # What an append costs, whatever else the machine runs: the writers' own CPU and
        # their PostgreSQL backends' (integrations included), per entry.
        "cpu_us_per_entry": {
            "writers": 1e6 * sum(float(result[2]) for result in results) / max(total, 1),
            "postgresql": 1e6 * cpu["backends"] / max(total, 1),
        },
        "machine_busy_cores": cpu["machine"] / elapsed,
        "cores": os.cpu_count() or 1,
    }


def durability() -> str:
    """The benchmark server's settings that decide whether a commit is on disk when it
    returns. The throwaway server is started durable (``pages_database``); a server given by
    URL is reported as it is, and the writers' own sessions decide the verdict."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "SQLite"
    with connection.cursor() as cursor:
        # The values a new session starts with (the writers' ones), not this session's:
        # the seeding turned synchronous_commit off for itself.
        cursor.execute(
            "SELECT name, reset_val FROM pg_settings WHERE name IN"
            " ('fsync', 'full_page_writes', 'synchronous_commit', 'wal_sync_method')"
        )
        values = dict(cursor.fetchall())
        fsync, full_pages = values["fsync"], values["full_page_writes"]
        synchronous, method = values["synchronous_commit"], values["wal_sync_method"]
    return (
        f"fsync={fsync}, full_page_writes={full_pages}, synchronous_commit={synchronous}, "
        f"wal_sync_method={method}"
    )


def _run_writers(
    processes: list[subprocess.Popen[str]],
) -> tuple[list[list[str]], dict[str, float]]:
    """Start the writers together; their result lines, and the CPU seconds their backends
    and the whole machine used meanwhile."""
    backends, durable = [], []
    for process in processes:  # every writer connected before any appends
        line = process.stdout.readline().split() if process.stdout else []
        if not line or line[0] != "ready":
            raise RuntimeError("a journal writer did not start")
        backends.append(int(line[1]))
        durable.append(line[2] == "on")
    before = cpu_snapshot({"backends": backends})
    for process in processes:
        _say(process, "go")
    results = [process.stdout.readline().split() if process.stdout else [] for process in processes]
    after = cpu_snapshot({"backends": backends})
    for process in processes:
        _say(process, "bye")
        process.wait(timeout=60)
    if any(process.returncode for process in processes) or not all(results):
        raise RuntimeError("a journal writer failed")
    used = cpu_used(before, after)
    used["durable"] = float(all(durable))
    return results, used


def _say(process: subprocess.Popen[str], line: str) -> None:
    if process.stdin is not None:
        process.stdin.write(f"{line}\n")
        process.stdin.flush()


# --- integration -----------------------------------------------------------------------------


def synthetic_events(
    count: int, rng: random.Random, start: datetime | None = None
) -> Iterator[Event]:
    """``count`` entries like the service's (a deposit's facts), a second apart."""
    moment = start or datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    for n in range(count):
        data = {
            "file": f"9991_REF-{n}_20260105_101500.pdf",
            "sha256": f"{rng.getrandbits(256):064x}",
            "size": rng.randint(10_000, 2_000_000),
            "message": f"Fichier 9991_REF-{n}_20260105_101500.pdf déposé dans le coffre",
        }
        yield Event(moment + timedelta(seconds=n), n, n, PLATFORM_ACTOR, "bench.seeded", data)


def seed_pending(count: int, rng: random.Random) -> None:
    """``count`` entries appended and committed but not integrated: entries and pending rows
    by COPY, a batch at a time."""
    first = journal.next_number()
    start = datetime.now(UTC)
    events = synthetic_events(count, rng, start)
    done = 0
    while batch := list(islice(events, seed_journal.BATCH)):
        leaves: list[tuple[int, bytes]] = []
        rows = seed_journal.entry_rows(batch, first + done, leaves)
        done += bulk.insert(JournalEntry, seed_journal.ENTRY_FIELDS, rows)
        bulk.insert(JournalPending, ("sequence", "leaf_hash"), leaves)
    journal.set_last_number(first + done - 1)


def measure_integration(count: int, progress: Progress) -> dict[str, Any]:
    before = _checkpoint()  # the previous checkpoint: the new one proves it extends it
    seed_pending(count, random.Random(SEED + 1))  # noqa: S311 - not secrets
    size = tree.current_head().size
    progress(f"journal: {count:,} entries pending; integrating, then a checkpoint")
    started = time.perf_counter()
    added = tree.integrate()
    elapsed = time.perf_counter() - started
    if added != count or tree.current_head().size != size + count:
        raise RuntimeError(f"integration added {added:,} leaves instead of {count:,}")
    figures: dict[str, Any] = {
        "entries": count,
        "tree_size_before": size,
        "seconds": elapsed,
        "seconds_per_million": elapsed * 1_000_000 / count,
    }
    after = _checkpoint() if before["error"] is None else before
    figures["checkpoint"] = after
    if after["error"] is None:
        # The integration grows with the entries, the checkpoint does not (one note signed
        # and timestamped, one consistency proof of O(log n) hashes).
        figures["with_checkpoint_per_million"] = figures["seconds_per_million"] + after["seconds"]
    return figures


def _checkpoint() -> dict[str, Any]:
    """Publish a signed checkpoint of the whole tree now; its time, or why it could not be
    (no journal key, no TSA)."""
    from securact.evidence.checkpoints import publish_checkpoint

    started = time.perf_counter()
    try:
        published = publish_checkpoint(force=True)
    except Refusal as refused:
        return {"error": refused.message, "seconds": None, "tree_size": None}
    return {
        "error": None,
        "seconds": time.perf_counter() - started,
        "tree_size": published.tree_size if published else None,
    }


# --- the report ------------------------------------------------------------------------------


def verdicts(figures: dict[str, Any]) -> dict[str, str]:
    appends = figures["appends"]
    proofs = figures["proofs"]
    result = {
        "appends": "PASS"
        if appends["per_second"] >= TARGET_APPENDS_PER_S
        and appends["all_integrated"]
        and appends.get("durable")
        else "FAIL",
        "proofs": "PASS" if proofs.get("p95_ms", 1e9) < TARGET_PROOF_P95_MS else "FAIL",
    }
    if result["proofs"] == "PASS" and proofs["tree_size"] < TARGET_PROOF_AT:
        result["proofs"] = f"(ok at {proofs['tree_size']:,} leaves, below the target size)"
    if "integration" in figures:
        done = figures["integration"]
        per_million = done.get("with_checkpoint_per_million", done["seconds_per_million"])
        result["integration"] = "PASS" if per_million < TARGET_INTEGRATION_S else "FAIL"
    return result


def print_report(figures: dict[str, Any], out: Writer) -> None:
    verdict = verdicts(figures)
    appends, proofs = figures["appends"], figures["proofs"]
    out.write(f"\nJournal (RFC 9162 Merkle tree) — {figures['entries']:,} entries at start\n")
    out.write(
        f"  appends, {appends['writers']} writers, each entry its own transaction: "
        f"{appends['per_second']:,.0f}/s ({appends['entries']:,} in {appends['seconds']:.1f} s;"
        f" {appends['pending_after']} left pending, then integrated; all in the tree, no "
        f"gap: {'yes' if appends['all_integrated'] else 'NO'})  {verdict['appends']} "
        f"(target ≥ {TARGET_APPENDS_PER_S:,.0f}/s)\n"
    )
    out.write(
        f"    durable at commit in every writer's session: "
        f"{'yes' if appends.get('durable') else 'NO'} ({appends.get('durability', '?')})\n"
    )
    cost = appends["cpu_us_per_entry"]
    out.write(
        f"    CPU per entry: writers {cost['writers']:.0f} µs + PostgreSQL "
        f"{cost['postgresql']:.0f} µs; the machine was busy {appends['machine_busy_cores']:.1f}"
        f" of its {appends['cores']} cores meanwhile (everything running on it)\n"
    )
    if proofs.get("count"):
        out.write(
            f"  inclusion proof at {proofs['tree_size']:,} leaves ({proofs['count']} proofs, "
            f"{proofs['hashes']} hashes at most): p50 {proofs['p50_ms']:.2f} ms, p95 "
            f"{proofs['p95_ms']:.2f} ms, max {proofs['max_ms']:.2f} ms  {verdict['proofs']} "
            f"(target p95 < {TARGET_PROOF_P95_MS:.0f} ms at ≥ {TARGET_PROOF_AT:,})\n"
        )
    if "integration" in figures:
        done = figures["integration"]
        checkpoint = done.get("checkpoint") or {"error": "not measured"}
        if checkpoint["error"] is None:
            signed = (
                f" + signed checkpoint {checkpoint['seconds']:.2f} s: "
                f"{done['with_checkpoint_per_million']:.1f} s for a million"
            )
        else:
            signed = f"; checkpoint not measured: {checkpoint['error']}"
        out.write(
            f"  integration of {done['entries']:,} new entries into a tree of "
            f"{done['tree_size_before']:,}: {done['seconds']:.1f} s "
            f"({done['seconds_per_million']:.1f} s per million){signed}  "
            f"{verdict['integration']} (target: a checkpoint over a million new entries in < "
            f"{TARGET_INTEGRATION_S:.0f} s)\n"
        )
