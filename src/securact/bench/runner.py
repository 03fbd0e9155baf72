"""One benchmark run, in order; every process it starts is stopped on the way out, also on
Ctrl-C, SIGTERM or an error.

1. Fresh database and work areas in ``var/bench``; the demo PKI (kept between runs), the
   migrations, the demo directory, the bailiff's vault declared.
2. The PKI server on 9792, an SMTP sink, one shared unoserver; the sample files.
3. The primitives alone (no worker running).
4. One worker, then two: a warm-up act of each kind per worker (not counted); with one
   worker, PDF acts then DOCX acts served one at a time (latency of an idle service); then a
   burst of N PDF acts, then a burst of N DOCX acts, each act its own signification.
5. A fresh worker serves a 50 MB PDF: its peak resident memory.
6. The table on stdout, the same figures in ``var/bench/results.json``.
"""

from __future__ import annotations

import io
import logging
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command

from securact.bench import bundles_bench, primitives, report, samples
from securact.bench.environment import BenchPaths, bench_paths, check_settings, reset
from securact.bench.logins import ACTS as ACTS_PER_SIGNIFICATION
from securact.bench.logins import logins_per_signification
from securact.bench.processes import (
    BIN,
    ChildPeaks,
    Services,
    WorkerPool,
    cpu_snapshot,
    cpu_used,
    group_peaks,
    services,
    status_kb,
    workers,
)
from securact.bench.serving import (
    ActRun,
    Party,
    resolve_party,
    serve_burst,
    serve_one,
    serve_sequentially,
    timings,
)
from securact.workflow import serving

ACT_TIMEOUT = 300.0


def progress(message: str) -> None:
    sys.stderr.write(f"[bench {datetime.now():%H:%M:%S}] {message}\n")
    sys.stderr.flush()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def prepare(paths: BenchPaths) -> None:
    reset(paths)
    progress(f"demo PKI, database and directory in {paths.root}")
    subprocess.run(
        [
            str(BIN / "securact"),
            "demo_pki",
            "--dir",
            str(paths.layout.root),
            "--url",
            paths.pki_url,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_data", dir=paths.layout.root, stdout=io.StringIO())


def make_samples(paths: BenchPaths) -> dict[str, Path]:
    progress("sample files: one-page PDF, one-page DOCX, 50 MB PDF")
    return {
        "pdf": samples.one_page_pdf(paths.samples / "acte-1-page.pdf"),
        "docx": samples.one_page_docx(paths.samples / "acte-1-page.docx"),
        "big": samples.big_pdf(paths.samples / "acte-50-mo.pdf"),
    }


def _runs(prefix: str, path: Path, count: int) -> list[ActRun]:
    return [ActRun(f"{prefix}-{index:03d}", path) for index in range(1, count + 1)]


def measured_phase(
    name: str,
    count: int,
    mode: str,
    serve: Callable[[], list[ActRun]],
    pool: WorkerPool,
    around: Services,
) -> dict[str, Any]:
    """Serve, then summarise the acts' rows and the CPU time every process used meanwhile."""

    def groups() -> dict[str, list[int]]:
        return {"workers": [p.pid for p in pool.processes], **around.cpu_groups()}

    before, started = cpu_snapshot(groups()), time.monotonic()
    runs = serve()
    used, window = cpu_used(before, cpu_snapshot(groups())), time.monotonic() - started
    summary = report.summarise(name, count, mode, timings(runs, pool.logs))
    summary["cpu"] = {
        "window_s": window,
        "seconds": used,
        "per_act_s": {k: v / max(1, summary["ok"]) for k, v in used.items()},
        "machine_busy_share": used["machine"] / (window * (os.cpu_count() or 1)),
    }
    return summary


def serve_phases(
    paths: BenchPaths,
    around: Services,
    party: Party,
    files: dict[str, Path],
    acts: int,
    alone: int,
    logins: dict[str, Any],
) -> list[dict[str, Any]]:
    phases = []
    for count in (1, 2):
        label = f"{count} worker{'s' if count > 1 else ''}"
        with workers(paths, count, f"{count}w") as pool:
            progress(f"{label}: warm-up ({count} act(s) of each kind, not counted)")
            serve_burst(
                party,
                _runs(f"W{count}-WARM-PDF", files["pdf"], count)
                + _runs(f"W{count}-WARM-DOCX", files["docx"], count),
                ACT_TIMEOUT,
            )
            plan: list[tuple[str, str, str, int]] = []
            if count == 1:
                plan += [
                    ("one at a time", "PDF", "pdf", alone),
                    ("one at a time", "DOCX", "docx", alone),
                ]
            plan += [("burst", "PDF", "pdf", acts), ("burst", "DOCX", "docx", acts)]
            for mode, kind, key, number in plan:
                progress(f"{label}: {number} {kind} acts, {mode}")
                prefix = f"W{count}-{'ALONE' if mode != 'burst' else 'BURST'}-{kind}"
                serve = partial(
                    serve_sequentially if mode == "one at a time" else serve_burst,
                    party,
                    _runs(prefix, files[key], number),
                    ACT_TIMEOUT,
                )
                name = f"{label}, {mode}, {kind}"
                phases.append(measured_phase(name, count, mode, serve, pool, around))
            if count == 1:
                progress(f"{label}: one signification of {ACTS_PER_SIGNIFICATION} PDF acts")
                copies = [
                    serving.FileOnDisk(files["pdf"], f"acte-{n}.pdf")
                    for n in range(1, ACTS_PER_SIGNIFICATION + 1)
                ]
                logins.update(logins_per_signification(party, copies, ACT_TIMEOUT))
    return phases


def memory_phase(paths: BenchPaths, party: Party, big: Path) -> dict[str, Any]:
    progress(f"fresh worker serving {big.name} ({big.stat().st_size / 1e6:.1f} MB)")
    with workers(paths, 1, "memory") as pool:
        pid = pool.processes[0].pid
        idle = status_kb(pid)
        with ChildPeaks(pid) as children:
            run = serve_one(party, ActRun("MEM-50MB-001", big), ACT_TIMEOUT)
        peak = status_kb(pid)
        timing = timings([run], pool.logs)[0]
    gs_peaks = [kb for name, kb in children.peaks.items() if name.startswith("gs")]
    return {
        "file_mb": big.stat().st_size / 1e6,
        "worker_vmhwm_mb": report.kb_to_mb(peak),
        "worker_idle_vmhwm_mb": report.kb_to_mb(idle),
        "ghostscript_vmhwm_mb": report.kb_to_mb(max(gs_peaks)) if gs_peaks else None,
        "children_vmhwm_mb": {n: report.kb_to_mb(kb) for n, kb in children.peaks.items()},
        "end_to_end_s": timing.end_to_end_s if timing.ok else None,
        "upload_s": timing.upload_s,
        "steps_s": timing.steps_s,
        "error": timing.error,
    }


def machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_kb * 1024 / 1e9,
        "load_before": ", ".join(f"{x:.2f}" for x in load_before),
        "load_after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    found = {name: metadata.version(name) for name in ("django", "pyhanko", "unoserver")}
    for name, command in (
        ("ghostscript", ["gs", "--version"]),
        ("libreoffice", ["soffice", "--version"]),
    ):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        found[name] = result.stdout.strip()
    return found


def run(acts: int, repeat: int, alone: int, out: report.Writer) -> dict[str, Any]:
    paths = bench_paths()
    check_settings(paths)
    logging.getLogger().setLevel(logging.WARNING)  # this process: the table, not log lines
    # Ctrl-C and SIGTERM unwind through every ``with`` below, which stop what they started
    # (SIGINT explicitly: a shell starting a background job leaves it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    load_before = os.getloadavg()
    started = datetime.now(ZoneInfo("Europe/Paris"))
    prepare(paths)
    with services(paths) as running:
        party = resolve_party(paths.layout)
        files = make_samples(paths)
        progress(f"primitives alone, {repeat} runs each")
        measured = primitives.measure(
            files["pdf"], files["docx"], paths.scratch, party.signer, repeat
        )
        logins: dict[str, Any] = {}
        phases = serve_phases(paths, running, party, files, acts, alone, logins)
        bundles = bundles_bench.measure(progress)
        memory = memory_phase(paths, party, files["big"])
        office = running.office.process
        libreoffice = group_peaks(office.pid) if office is not None else {}
    soffice = [kb for name, kb in libreoffice.items() if name.startswith("soffice")]
    memory["libreoffice_vmhwm_mb"] = report.kb_to_mb(max(soffice)) if soffice else None
    medians = report.primitive_medians(measured)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "duration_s": (datetime.now(ZoneInfo("Europe/Paris")) - started).total_seconds(),
        "machine": machine(load_before),
        "versions": versions(),
        "acts_per_kind": acts,
        "acts_alone": alone,
        "repeat": repeat,
        "primitives": measured,
        "primitive_medians": medians,
        "phases": phases,
        "memory": memory,
        "token_logins": logins,
        "bundles": bundles,
        "targets": [*report.targets(medians, phases, memory), bundles_bench.target_row(bundles)],
        "informational_ratios": report.informational_ratios(medians, phases),
        "errors": [e for p in phases for e in p["errors"]]
        + ([memory["error"]] if memory["error"] else []),
        "results_path": str(paths.results),
    }
    report.write_json(results, paths.results)
    report.print_table(results, out)
    return results
