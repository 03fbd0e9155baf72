"""The page benchmark, in order (``securact bench``, after the process benchmark, or alone
with ``--pages-only``):

1. The demo PKI of ``var/bench/demo`` (made if missing) and its OCSP server on 9792: the
   bailiff signs in with his certificate, checked by the real middleware.
2. For each database — SQLite (100 000 significations), then PostgreSQL (1 000 000) — a
   child process on a fresh database (settings are read once per process, so each database
   gets its own): migrations, demo directory, the bailiff's vault, the seed (``seed_pages``),
   statistics (``VACUUM ANALYZE``), a check of the seeded journal and its tree, then the pages
   measured (``pages``), then on PostgreSQL the journal's tree (``journal_tree``: appends,
   proofs, integration, on the journal the seed made); it writes
   ``var/bench/pages-<vendor>.json``.
3. The table on stdout and every figure in ``var/bench/pages.json``.

Every process and server started here is stopped on the way out, also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command

from securact.bench import journal_tree, pages, pages_report, seed_journal, seed_pages
from securact.bench.environment import BenchPaths, bench_paths
from securact.bench.pages_database import postgresql_database, redacted, sqlite_database
from securact.bench.processes import BIN, pki_server
from securact.bench.report import Writer

SIGNED_IN = "bailiff-durand"
BANK = "recipient-banque-test"  # the vault page benchmark's bank
# Below this many significations the whole journal is checked, else a sample.
WHOLE_CHAIN_UP_TO = 200_000
CHILD_FLAG = "--pages-child"


def progress(message: str) -> None:
    sys.stderr.write(f"[bench {datetime.now():%H:%M:%S}] {message}\n")
    sys.stderr.flush()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


# --- the parent ----------------------------------------------------------------------------


def run(
    counts: dict[str, int],
    requests: int,
    warmup: int,
    out: Writer,
    *,
    vault_files: int = 0,
    journal: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Measure the pages on each database of ``counts`` (vendor → significations; 0 skips
    it); returns the figures (also written to ``var/bench/pages.json``)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    logging.getLogger().setLevel(logging.WARNING)  # the table, not log lines
    paths = bench_paths()
    paths.logs.mkdir(parents=True, exist_ok=True)
    _demo_pki(paths)
    load_before = os.getloadavg()
    started = datetime.now(ZoneInfo("Europe/Paris"))
    databases: list[dict[str, Any]] = []
    with pki_server(paths):
        for vendor, count in counts.items():
            if count <= 0:
                continue
            measure = (requests, warmup, vault_files, journal or {})
            databases.append(_one_database(paths, vendor, count, *measure))
    results = {
        "date": started.isoformat(timespec="seconds"),
        "duration_s": (datetime.now(ZoneInfo("Europe/Paris")) - started).total_seconds(),
        "machine": pages_report.machine(load_before),
        "requests_per_page": requests,
        "warmup_per_page": warmup,
        "target_p95_ms": pages.TARGET_P95_MS,
        "databases": databases,
        "results_path": str(paths.root / "pages.json"),
    }
    pages_report.write_json(results, paths.root / "pages.json")
    pages_report.print_table(results, out)
    return results


def _demo_pki(paths: BenchPaths) -> None:
    command = [str(BIN / "securact"), "demo_pki", "--dir", str(paths.layout.root)]
    subprocess.run([*command, "--url", paths.pki_url], check=True, stdout=subprocess.DEVNULL)


def _one_database(
    paths: BenchPaths,
    vendor: str,
    count: int,
    requests: int,
    warmup: int,
    vault_files: int,
    journal: dict[str, Any],
) -> dict[str, Any]:
    database: Callable[[], AbstractContextManager[str]] = postgresql_database
    if vendor == "sqlite":
        database = partial(sqlite_database, paths)
    part = paths.root / f"pages-{vendor}.json"
    part.unlink(missing_ok=True)
    progress(f"pages on {vendor}: {count:,} significations")
    try:
        with database() as url:
            code = _child(url, vendor, count, (requests, warmup, vault_files), journal)
            if code != 0:
                raise RuntimeError(f"the {vendor} measurement exited with status {code}")
            found = json.loads(part.read_text(encoding="utf-8"))
            found["database_url"] = redacted(url)
            return dict(found)
    except (RuntimeError, OSError) as failed:
        progress(f"pages on {vendor} failed: {failed}")
        return {"vendor": vendor, "count": count, "error": str(failed), "pages": []}


def _child(
    url: str, vendor: str, count: int, measure: tuple[int, int, int], journal: dict[str, Any]
) -> int:
    requests, warmup, vault_files = measure
    environment = dict(os.environ)
    environment.update(
        {
            "SECURACT_DATABASE_URL": url,
            # Sign-in as behind nginx: the certificate in headers, from a trusted proxy (the
            # test client's 127.0.0.1), checked by the real middleware.
            "SECURACT_CLIENT_CERT_SOURCE": "proxy",
            "SECURACT_TRUSTED_PROXIES": "127.0.0.1",
            "SECURACT_LOG_LEVEL": "WARNING",
        }
    )
    command = [sys.executable, "-m", "securact.cli", "bench", CHILD_FLAG, vendor]
    command += [f"--pages-{vendor}={count}", f"--page-requests={requests}"]
    command += [f"--page-warmup={warmup}", f"--vault-files={vault_files}"]
    command += [f"--{name.replace('_', '-')}={value}" for name, value in journal.items()]
    process = subprocess.Popen(command, env=environment)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()


# --- the child: one database ---------------------------------------------------------------


def run_child(
    vendor: str,
    count: int,
    requests: int,
    warmup: int,
    *,
    vault_files: int = 0,
    journal: dict[str, Any] | None = None,
) -> None:
    from django.db import connection

    signal.signal(signal.SIGTERM, _interrupt)
    if connection.vendor != vendor or settings.SECURACT_CLIENT_CERT_SOURCE != "proxy":
        raise RuntimeError(f"page benchmark child not on {vendor} in proxy mode")
    paths = bench_paths()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_data", dir=paths.layout.root, stdout=io.StringIO())
    holder = _holder(paths)
    bailiff = declare_signed_in(holder)
    migrated = time.perf_counter() - started
    seeded = seed_pages.seed(bailiff, count, progress=progress, defer_indexes=True)
    finish_started = time.perf_counter()
    progress("seeding: statistics (ANALYZE)")
    seed_pages.finish()
    analyzed = time.perf_counter() - finish_started
    progress("journal: checking the seeded entries and tree")
    checked, scope = _check_journal(count)
    client = signed_in_client(holder)
    plan = pages.plan(bailiff, random.Random(seed_pages.SEED))  # noqa: S311 - not secrets
    measured = pages.measure(client, plan, requests, warmup, progress)
    vault = _vault_pages(paths, bailiff, vault_files, requests, warmup) if vault_files else {}
    measured += vault.pop("pages", [])
    tree_figures = {}
    if vendor == "postgresql" and journal:
        tree_figures = journal_tree.measure(
            progress,
            seconds=float(journal["journal_seconds"]),
            integrate=int(journal["journal_integrate"]),
        )
    figures = {
        "vendor": vendor,
        "server": _server_version(),
        "count": count,
        "signed_in": bailiff.full_name,
        "practice_share": _practice_share(bailiff),
        "migrate_s": migrated,
        "seed": {"rows": seeded.rows, "seconds": seeded.seconds, "total_s": seeded.total_seconds},
        "analyze_s": analyzed,
        "journal_checked": {"entries": checked, "scope": scope},
        "sizes": _sizes(),
        "vault": vault,
        "pages": measured,
        "journal": tree_figures,
    }
    pages_report.write_json(figures, paths.root / f"pages-{vendor}.json")


def _holder(paths: BenchPaths, label: str = SIGNED_IN) -> dict[str, Any]:
    records = json.loads(paths.layout.demo_json.read_text(encoding="utf-8"))
    return next(r for r in records if r["label"] == label)


def _vault_pages(
    paths: BenchPaths, bailiff: Any, files: int, requests: int, warmup: int
) -> dict[str, Any]:
    """A bank's vault of ``files`` files seeded and its pages measured, then the signed-in
    bailiff's own vault (issue 11, item 9)."""
    from django.utils import timezone

    from securact.bench import seed_vault, vault_pages
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    holder = _holder(paths, BANK)
    bank = declare_vault(parse_certificate(pem_to_der(Path(holder["auth_cert"]).read_bytes())))
    now = timezone.now()
    started = time.perf_counter()
    progress(f"vault: seeding {files:,} files in {BANK}'s vault")
    rows = seed_vault.seed(bank, files, now)
    held = vault_pages.ready(bank)
    seeded_s = time.perf_counter() - started
    rng = random.Random(seed_vault.SEED)  # noqa: S311 - not secrets
    measured = pages.measure(
        signed_in_client(holder), vault_pages.bank_plan(bank, now, rng), requests, warmup, progress
    )
    measured += pages.measure(
        signed_in_client(_holder(paths)),
        vault_pages.bailiff_plan(bailiff.vault),
        requests,
        warmup,
        progress,
    )
    return {
        "bank": holder["label"],
        "rows": rows,
        "held": held,
        "seed_s": seeded_s,
        "pages": measured,
    }


def declare_signed_in(holder: dict[str, Any]) -> Any:
    """The holder's vault declared (as his first sign-in would), and his bailiff."""
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    vault = declare_vault(parse_certificate(pem_to_der(Path(holder["auth_cert"]).read_bytes())))
    return vault.bailiff


def signed_in_client(holder: dict[str, Any]) -> Any:
    """A client whose requests carry the holder's certificate as nginx forwards it (as
    ``tests/web``'s ``signed_in`` does)."""
    from django.test import Client

    pem = Path(holder["auth_cert"]).read_text(encoding="ascii")
    return Client(
        HTTP_HOST="localhost",
        HTTP_X_SSL_CLIENT_CERT=quote(pem, safe=""),
        HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
    )


def _check_journal(count: int) -> tuple[int, str]:
    if count <= WHOLE_CHAIN_UP_TO:
        return seed_journal.check_whole(), "whole journal and tree"
    return seed_journal.check_sample(), "first, middle and last 2 000 entries, proofs, root"


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def _practice_share(bailiff: Any) -> dict[str, int]:
    from securact.significations.models import Signification

    return {
        "practice": Signification.objects.filter(practice=bailiff.practice).count(),
        "bailiff": Signification.objects.filter(bailiff=bailiff).count(),
        "all": Signification.objects.count(),
    }


def _sizes() -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return {"database_mb": cursor.fetchone()[0] / 1e6}
