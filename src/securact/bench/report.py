"""Medians, the issue's three targets, the table printed on stdout and ``results.json``.

The targets (issue 3, item 11), each printed PASS or FAIL as measured:

* end to end time of a PDF act ≤ 1.3 × (Ghostscript conversion + pyHanko B-LTA signing):
  the end to end time is the median over PDF acts served one at a time with one worker (an
  idle service: the latency a bailiff sees, without queueing behind other acts);
* cold ``soffice`` ÷ warm unoserver DOCX → PDF/A ≥ 5;
* peak resident memory (``VmHWM``) of the worker process serving a 50 MB PDF < 300 MB
  (10⁶ bytes; Ghostscript runs as a child process and is reported apart).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any, Protocol

from securact.bench.serving import ActTiming
from securact.significations.process import ORDER


class Writer(Protocol):
    """Where the table goes (a text stream, or a management command's ``stdout``)."""

    def write(self, text: str) -> Any: ...


E2E_RATIO_MAX = 1.3
COLD_WARM_MIN = 5.0
WORKER_MEMORY_MAX_MB = 300.0
STEP_COLUMNS = [str(name) for name in ORDER]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def kb_to_mb(kb: int | None) -> float | None:
    return None if kb is None else kb * 1024 / 1e6


def summarise(label: str, workers: int, mode: str, acts: list[ActTiming]) -> dict[str, Any]:
    ok = [a for a in acts if a.ok]
    summary: dict[str, Any] = {
        "label": label,
        "workers": workers,
        "mode": mode,
        "acts": len(acts),
        "ok": len(ok),
        "errors": [f"{a.reference}: {a.error}" for a in acts if not a.ok],
    }
    if ok:
        span = max(a.finished for a in ok) - min(a.submitted for a in ok)
        e2e = [a.end_to_end_s for a in ok]
        summary.update(
            makespan_s=span,
            acts_per_s=len(ok) / span,
            time_per_act_s=span / len(ok),
            end_to_end_median_s=median(e2e),
            end_to_end_max_s=max(e2e),
            upload_median_s=median([a.upload_s for a in ok]),
            steps_median_s={n: median([a.steps_s.get(n, 0.0) for a in ok]) for n in STEP_COLUMNS},
            sign_wall_median_s=median([a.sign_wall_s for a in ok]),
            sign_passes=sorted({a.sign_passes for a in ok}),
            handoffs_median_s=median([a.handoffs_s for a in ok]),
        )
    summary["detail"] = [a.as_dict() for a in acts]
    return summary


def primitive_medians(primitives: dict[str, Any]) -> dict[str, float | None]:
    signing = primitives["pades_b_lta"]
    return {
        "ghostscript_pdfa": median(primitives["ghostscript_pdfa"]),
        "pades_prepare": median(signing["prepare"]),
        "pades_token": median(signing["token"]),
        "pades_finish": median(signing["finish"]),
        "pades_b_lta": median(signing["total"]),
        "cades_p7s": median(primitives["cades_p7s"]),
        "tsa_round_trip": median(primitives["tsa_round_trip"]),
        "deposit_certificate_seal": median(primitives["deposit_certificate_seal"]),
        "unoserver_warm_pdfa": median(primitives["unoserver_warm_pdfa"]),
        "unoserver_warm_pdf": median(primitives["unoserver_warm_pdf"]),
        "docx_convert_to_pdfa": median(primitives["docx_convert_to_pdfa"]),
        "soffice_cold_pdf": median(primitives["soffice_cold_pdf"]),
        "soffice_first_run_new_profile": primitives["soffice_first_run_new_profile"],
    }


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return None if top is None or not bottom else top / bottom


def irreducible(medians: dict[str, float | None]) -> float:
    """Issue 10: what a lone PDF act cannot do without — Ghostscript, PAdES B-LTA, the
    ``.p7s`` and the deposit certificate's seal."""
    parts = ("ghostscript_pdfa", "pades_b_lta", "cades_p7s", "deposit_certificate_seal")
    return sum(medians[part] or 0 for part in parts)


def targets(
    medians: dict[str, float | None], phases: list[dict[str, Any]], memory: dict[str, Any]
) -> list[dict[str, Any]]:
    alone = next(p for p in phases if p["mode"] == "one at a time" and p["label"].endswith("PDF"))
    primitives = irreducible(medians)
    e2e_ratio = _ratio(alone.get("end_to_end_median_s"), primitives)
    cold_warm = _ratio(medians["soffice_cold_pdf"], medians["unoserver_warm_pdfa"])
    worker_mb = memory.get("worker_vmhwm_mb")
    return [
        {
            "name": "end to end per PDF act / (conversion + B-LTA + .p7s + seal primitives)",
            "value": e2e_ratio,
            "target": f"<= {E2E_RATIO_MAX}",
            "pass": e2e_ratio is not None and e2e_ratio <= E2E_RATIO_MAX,
            "detail": f"{_s(alone.get('end_to_end_median_s'))} / ({_s(medians['ghostscript_pdfa'])}"
            f" + {_s(medians['pades_b_lta'])} + {_s(medians['cades_p7s'])}"
            f" + {_s(medians['deposit_certificate_seal'])})",
        },
        {
            "name": "cold soffice / warm unoserver (DOCX)",
            "value": cold_warm,
            "target": f">= {COLD_WARM_MIN}",
            "pass": cold_warm is not None and cold_warm >= COLD_WARM_MIN,
            "detail": f"{_s(medians['soffice_cold_pdf'])} / {_s(medians['unoserver_warm_pdfa'])}",
        },
        {
            "name": "peak worker memory serving a 50 MB PDF (MB)",
            "value": worker_mb,
            "target": f"< {WORKER_MEMORY_MAX_MB:.0f}",
            "pass": worker_mb is not None and worker_mb < WORKER_MEMORY_MAX_MB,
            "detail": "VmHWM of the `securact worker` process",
        },
    ]


def informational_ratios(
    medians: dict[str, float | None], phases: list[dict[str, Any]]
) -> dict[str, float | None]:
    primitives = (medians["ghostscript_pdfa"] or 0) + (medians["pades_b_lta"] or 0)
    burst = next(
        (p for p in phases if p["mode"] == "burst" and p["workers"] == 1 and "PDF" in p["label"]),
        {},
    )
    alone = next(p for p in phases if p["mode"] == "one at a time" and p["label"].endswith("PDF"))
    return {
        "time_per_pdf_act_1_worker_burst_over_primitives": _ratio(
            burst.get("time_per_act_s"), primitives
        ),
        "e2e_pdf_alone_over_primitives_with_cades": _ratio(
            alone.get("end_to_end_median_s"), primitives + (medians["cades_p7s"] or 0)
        ),
        "cold_soffice_over_warm_unoserver_same_pdf_export": _ratio(
            medians["soffice_cold_pdf"], medians["unoserver_warm_pdf"]
        ),
    }


# ---------------------------------------------------------------- output


def _s(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_table(results: dict[str, Any], out: Writer) -> None:
    info, medians = results["machine"], results["primitive_medians"]
    write = out.write
    write(
        f"\nSecuract benchmark — {results['date']} — {info['cpu']} ({info['cores']} cores, "
        f"{info['memory_gb']:.0f} GB), load {info['load_before']}\n"
        f"{results['acts_per_kind']} acts per kind per burst, primitives: median of "
        f"{results['repeat']} runs. Times in seconds.\n\n"
    )
    write("Primitives alone (same files, token and TSA)\n")
    rows = [
        ("Ghostscript PDF → PDF/A-2b (convert_to_pdfa)", medians["ghostscript_pdfa"]),
        ("pyHanko PAdES B-LTA, total", medians["pades_b_lta"]),
        ("  prepare (worker)", medians["pades_prepare"]),
        ("  token signs (PKCS#11 login + sign)", medians["pades_token"]),
        ("  finish (TSA ×2, OCSP/CRL, DSS)", medians["pades_finish"]),
        ("CAdES .p7s (prepare + token + TSA)", medians["cades_p7s"]),
        ("deposit certificate seal (XAdES-T, TSA)", medians["deposit_certificate_seal"]),
        ("one TSA round trip (RFC 3161 request)", medians["tsa_round_trip"]),
        ("warm unoserver DOCX → PDF/A-2b", medians["unoserver_warm_pdfa"]),
        ("warm unoserver DOCX → PDF", medians["unoserver_warm_pdf"]),
        ("DOCX → signing-ready PDF/A (convert_to_pdfa)", medians["docx_convert_to_pdfa"]),
        ("cold soffice --convert-to pdf (existing profile)", medians["soffice_cold_pdf"]),
        ("cold soffice, first run creating the profile", medians["soffice_first_run_new_profile"]),
    ]
    for label, value in rows:
        write(f"  {label:<50} {_s(value):>8}\n")
    write("\nServed acts (worker-side step medians; sign = sum of its 3 worker passes)\n")
    header = ["acts", "acts/s", "e2e med", "e2e max", "convert", "sign", "sign wall"]
    header += ["deposit", "alert", "certif.", "archive", "upload", "hand-offs"]
    write(f"  {'configuration':<30}" + "".join(f"{h:>10}" for h in header) + "\n")
    for phase in results["phases"]:
        steps = phase.get("steps_median_s", {})
        cells = [
            f"{phase['ok']}/{phase['acts']}",
            _s(phase.get("acts_per_s"), 2),
            _s(phase.get("end_to_end_median_s"), 2),
            _s(phase.get("end_to_end_max_s"), 2),
            *(_s(steps.get(n), 2) for n in STEP_COLUMNS[:2]),
            _s(phase.get("sign_wall_median_s"), 2),
            *(_s(steps.get(n), 2) for n in STEP_COLUMNS[2:]),
            _s(phase.get("upload_median_s"), 2),
            _s(phase.get("handoffs_median_s"), 2),
        ]
        write(f"  {phase['label']:<30}" + "".join(f"{c:>10}" for c in cells) + "\n")
        for error in phase["errors"][:3]:
            write(f"      échec : {error}\n")
    write(
        "  e2e: submitted → archive step done. sign: worker time of its 3 passes. sign wall:\n"
        "  convert done → sign done (includes 2 waits for the bailiff's token). hand-offs: e2e\n"
        "  minus upload and worker step times (task queue, polling, token waits).\n"
    )
    _print_cpu(results["phases"], out)
    _print_memory(results["memory"], out)
    write("\nTargets (issue 3, item 11)\n")
    for target in results["targets"]:
        verdict = "PASS" if target["pass"] else "FAIL"
        write(
            f"  {verdict}  {target['name']}: {_s(target['value'], 2)} "
            f"(target {target['target']}; {target['detail']})\n"
        )
    write("\nOther ratios (information)\n")
    for name, value in results["informational_ratios"].items():
        write(f"  {name}: {_s(value, 2)}\n")
    logins = results.get("token_logins") or {}
    write(
        f"\nToken logins per signification of {logins.get('acts', '—')} PDF acts, after the "
        f"PIN check: {logins.get('token_logins_after_pin_check', '—')}"
        f"{'' if logins.get('finished') else ' (not finished)'}\n"
    )
    write(f"\nFigures as JSON: {results['results_path']}\n")


CPU_COLUMNS = [
    ("workers", "workers"),
    ("pki", "TSA/OCSP"),
    ("libreoffice", "LibreOffice"),
    ("bench", "sessions"),
    ("smtp", "SMTP"),
    ("other", "other"),
]


def _print_cpu(phases: list[dict[str, Any]], out: Writer) -> None:
    out.write(
        "\nCPU seconds per act, by process (workers include their Ghostscript children;"
        "\nsessions = this process: bailiff sessions, uploads, polling; other = programs"
        "\noutside the benchmark), and how busy the machine's cores were\n"
    )
    header = "".join(f"{title:>12}" for _key, title in CPU_COLUMNS) + f"{'busy':>8}"
    out.write(f"  {'configuration':<30}{header}\n")
    for phase in phases:
        cpu = phase.get("cpu", {})
        per_act = cpu.get("per_act_s", {})
        cells = "".join(f"{_s(per_act.get(key), 2):>12}" for key, _title in CPU_COLUMNS)
        share = cpu.get("machine_busy_share")
        busy = "—" if share is None else f"{100 * share:.0f} %"
        out.write(f"  {phase['label']:<30}{cells}{busy:>8}\n")


def _print_memory(memory: dict[str, Any], out: Writer) -> None:
    out.write(f"\nPeak memory serving a {_s(memory.get('file_mb'), 1)} MB PDF (MB, VmHWM)\n")
    rows = [
        ("worker process (securact worker)", memory.get("worker_vmhwm_mb")),
        ("  same worker, idle before the act", memory.get("worker_idle_vmhwm_mb")),
        ("Ghostscript child (sampled every 50 ms)", memory.get("ghostscript_vmhwm_mb")),
        ("shared LibreOffice (soffice.bin), whole run", memory.get("libreoffice_vmhwm_mb")),
        ("end to end time of the 50 MB act (s)", memory.get("end_to_end_s")),
    ]
    for label, value in rows:
        out.write(f"  {label:<50} {_s(value, 1):>8}\n")
    if memory.get("error"):
        out.write(f"      échec : {memory['error']}\n")


def write_json(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
