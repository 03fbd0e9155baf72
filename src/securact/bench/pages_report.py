"""The page benchmark's table on stdout and ``var/bench/pages.json``.

The target (issue 4, item 8): p95 < 100 ms for every page on PostgreSQL at 1 000 000
significations, printed PASS or FAIL as measured; SQLite's figures are shown against the
same target for information.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from securact.bench.report import Writer

TARGET_VENDOR = "postgresql"


def machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    from securact.bench.runner import machine as process_machine

    return process_machine(load_before)


def write_json(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")


def verdict(database: dict[str, Any], page: dict[str, Any], target: float) -> str:
    fast = page["p95_ms"] < target and not page["errors"]
    if database["vendor"] != TARGET_VENDOR:
        return "(ok)" if fast else "(over)"
    return "PASS" if fast else "FAIL"


def passed(results: dict[str, Any]) -> bool | None:
    """The target on PostgreSQL: None when PostgreSQL was not measured."""
    measured = [d for d in results["databases"] if d["vendor"] == TARGET_VENDOR and d["pages"]]
    if not measured:
        return None
    target = results["target_p95_ms"]
    return all(verdict(d, p, target) == "PASS" for d in measured for p in d["pages"])


def print_table(results: dict[str, Any], out: Writer) -> None:
    info, target = results["machine"], results["target_p95_ms"]
    out.write(
        f"\nSecuract pages — {results['date']} — {info['cpu']} ({info['cores']} cores, "
        f"{info['memory_gb']:.0f} GB), load {info['load_before']} at start, "
        f"{info['load_after']} at the end\n"
        f"Server time in-process (Django test client, certificate headers as behind nginx):\n"
        f"{results['requests_per_page']} requests per page after {results['warmup_per_page']} "
        f"uncounted, cycling through its variants. Target: p95 < {target:.0f} ms on "
        f"PostgreSQL.\n"
    )
    for database in results["databases"]:
        _print_database(database, target, out)
    verdict_text = {True: "PASS", False: "FAIL", None: "not measured"}[passed(results)]
    out.write(f"\nTarget p95 < {target:.0f} ms on PostgreSQL, every page: {verdict_text}\n")
    out.write(f"Figures as JSON: {results['results_path']}\n")


def _print_database(database: dict[str, Any], target: float, out: Writer) -> None:
    # One write per line: a management command's stdout ends each write with a newline.
    title = f"\n{database['vendor']} — {database['count']:,} significations"
    if database.get("error"):
        out.write(f"{title}: échec : {database['error']}\n")
        return
    share, seed = database["practice_share"], database["seed"]
    out.write(
        f"{title} ({database['server']}); the signed-in bailiff's étude holds "
        f"{share['practice']:,}, he served {share['bailiff']:,}\n"
    )
    parts = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in seed["seconds"].items())
    out.write(
        f"  seeded in {seed['total_s']:.0f} s ({parts}; ANALYZE {database['analyze_s']:.0f} s)\n"
    )
    rows = ", ".join(f"{name} {count:,}" for name, count in seed["rows"].items())
    out.write(f"  rows: {rows}\n")
    checked = database["journal_checked"]
    out.write(f"  journal checked: {checked['entries']:,} entries ({checked['scope']})\n\n")
    header = f"  {'page':<40}{'variants':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    out.write(header + f"{'queries':>9}  verdict\n")
    for page in database["pages"]:
        queries = f"{page['queries_min']}-{page['queries_max']}"
        if page["queries_min"] == page["queries_max"]:
            queries = str(page["queries_min"])
        out.write(
            f"  {page['name']:<40}{page['variants']:>9}{page['p50_ms']:>9.1f}"
            f"{page['p95_ms']:>9.1f}{page['max_ms']:>9.1f}{queries:>9}  "
            f"{verdict(database, page, target)}\n"
        )
        for error in page["errors"][:3]:
            out.write(f"      échec : {error}\n")
    if database.get("journal"):
        from securact.bench.journal_tree import print_report

        print_report(database["journal"], out)
