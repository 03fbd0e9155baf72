"""Significations served through real worker processes, and what their rows say.

Each act is its own signification, served through the one serve call the web form and
``securact serve`` use (``workflow.serving.serve``: the PIN checked on the token, the
upload checked and recorded, then the bailiff's signing session, the PIN in this process
only, until the sign step is over), then waiting for the last step. A
burst runs one such session per act in its own thread, all at once.

Timings come from the database, not from this process's impression of it: each step's
``started_at``/``finished_at``, and for the end to end time the archive step's
``finished_at`` minus the moment the act was submitted. The sign step runs in three worker
passes (prepare the PAdES signature → wait for the token; finish it with timestamps and
OCSP/CRL, prepare the ``.p7s`` → wait; finish the ``.p7s``), and its row keeps only the last
pass's times: its worker-side time is the sum of the three passes, read from the workers'
log lines (``step sign running`` … ``step sign waiting|done``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection

from securact.bench.primitives import Signer
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.pki.demo_pki import DemoLayout
from securact.significations.models import Signification, Step
from securact.significations.process import ORDER
from securact.vault.services import declare_vault
from securact.workflow import serving
from securact.workflow.cli import find_signing_certificate

BAILIFF = "bailiff-durand"
RECIPIENT_SIRET = "99999001300016"  # BANQUE TEST
NATURE = "mainlevee"  # accepted by BANQUE TEST with no hour windows
STEP_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \S+ securact\.significations\.process "
    r"signification (\d+): step (\w+) (.*)$"
)


@dataclass(frozen=True)
class Party:
    """Who serves on whom: Claire DURAND's practice, BANQUE TEST, a *mainlevée*."""

    bailiff: Bailiff
    fingerprint: str
    recipient: Recipient
    nature: ActNature
    signer: Signer


def resolve_party(layout: DemoLayout) -> Party:
    """Declare the bailiff's vault (her first connection) and find her signing key."""
    records = json.loads(layout.demo_json.read_text(encoding="utf-8"))
    record = next(r for r in records if r["label"] == BAILIFF)
    info = parse_certificate(pem_to_der(Path(record["auth_cert"]).read_bytes()))
    vault = declare_vault(info)
    found = find_signing_certificate(info)
    if vault.bailiff is None or found is None:
        raise RuntimeError(f"{BAILIFF}: no bailiff vault or no signing certificate on a token")
    token_label, certificate = found
    return Party(
        bailiff=vault.bailiff,
        fingerprint=info.fingerprint,
        recipient=Recipient.objects.get(siret=RECIPIENT_SIRET),
        nature=ActNature.objects.get(code=NATURE),
        signer=Signer(token_label, str(record["pin"]), certificate),
    )


@dataclass
class ActRun:
    reference: str
    path: Path
    submitted: float = 0.0  # epoch seconds, before the serve call (PIN check included)
    created: float = 0.0  # the signification recorded (upload saved and checked, committed)
    signification_id: int | None = None
    error: str = ""

    @property
    def kind(self) -> str:
        return self.path.suffix.lstrip(".")


def serve_one(party: Party, run: ActRun, timeout: float) -> ActRun:
    def created(signification: Signification) -> None:
        run.created = time.time()
        run.signification_id = signification.pk

    run.submitted = time.time()
    signer = party.signer
    request = serving.ServeRequest(
        bailiff=party.bailiff,
        actor_fingerprint=party.fingerprint,
        recipient=party.recipient,
        nature=party.nature,
        reference=run.reference,
        files=[serving.FileOnDisk(run.path, run.path.name)],
        source=Signification.Source.CLI,
    )
    try:
        served = serving.serve(
            request,
            serving.Signer(signer.token_label, signer.certificate, signer.pin),
            timeout=timeout,
            wait=True,
            on_created=created,
        )
        if served.signing_refusal is not None:
            run.error = f"SigningRefused: {served.signing_refusal.message}"
        elif not served.finished:
            run.error = f"not finished after {timeout:.0f} s"
    except Exception as error:  # recorded and reported: one failed act must not hide the rest
        run.error = f"{type(error).__name__}: {error}"
    return run


def serve_sequentially(party: Party, runs: list[ActRun], timeout: float) -> list[ActRun]:
    return [serve_one(party, run, timeout) for run in runs]


def serve_burst(party: Party, runs: list[ActRun], timeout: float) -> list[ActRun]:
    """Every act submitted at once, each by its own bailiff session (one thread each)."""

    def session(run: ActRun) -> None:
        try:
            serve_one(party, run, timeout)
        finally:
            connection.close()  # this thread's own database connection

    threads = [
        threading.Thread(target=session, args=(run,), name=run.reference, daemon=True)
        for run in runs
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 60
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    for run, thread in zip(runs, threads, strict=True):
        if thread.is_alive() and not run.error:
            run.error = "session still running at the deadline"
    return runs


# ---------------------------------------------------------------- what the rows say


def worker_passes(logs: list[Path]) -> dict[tuple[int, str], list[float]]:
    """Duration of every worker pass of every step, from ``running`` to its outcome line."""
    passes: dict[tuple[int, str], list[float]] = defaultdict(list)
    for log in logs:
        opened: dict[tuple[int, str], datetime] = {}
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = STEP_LINE.match(line)
            if match is None:
                continue
            stamp, sid, step, outcome = match.groups()
            moment = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
            key = (int(sid), step)
            if outcome == "running":
                opened[key] = moment
            elif not outcome.startswith("not claimable") and key in opened:
                passes[key].append((moment - opened.pop(key)).total_seconds())
    return passes


@dataclass
class ActTiming:
    """One served act: its steps' worker-side times and its end to end time."""

    reference: str
    kind: str
    size: int
    signification_id: int | None
    ok: bool
    error: str = ""
    submitted: float = 0.0
    finished: float = 0.0
    upload_s: float = 0.0
    end_to_end_s: float = 0.0
    steps_s: dict[str, float] = field(default_factory=dict)
    sign_passes: int = 0
    sign_wall_s: float = 0.0

    @property
    def handoffs_s(self) -> float:
        """End to end minus upload and worker-side step time: queue hand-offs, polling,
        and the two waits for the bailiff's token."""
        return self.end_to_end_s - self.upload_s - sum(self.steps_s.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if not k.startswith("_")},
            "handoffs_s": self.handoffs_s,
        }


def timings(runs: list[ActRun], logs: list[Path]) -> list[ActTiming]:
    passes = worker_passes(logs)
    found = []
    for run in runs:
        timing = ActTiming(
            run.reference,
            run.kind,
            run.path.stat().st_size,
            run.signification_id,
            ok=False,
            error=run.error,
            submitted=run.submitted,
            upload_s=max(0.0, run.created - run.submitted),
        )
        found.append(timing)
        if run.signification_id is not None:
            _fill(timing, run.signification_id, passes)
    return found


def _fill(
    timing: ActTiming, signification_id: int, passes: dict[tuple[int, str], list[float]]
) -> None:
    steps = {s.name: s for s in Step.objects.filter(signification_id=signification_id)}
    failed = [s for s in steps.values() if s.state != Step.State.DONE]
    if failed:
        timing.error = timing.error or "; ".join(f"{s.name} {s.state}: {s.error}" for s in failed)
        return
    for name in ORDER:
        step = steps[name]
        if step.started_at is None or step.finished_at is None:  # pragma: no cover - done
            continue
        if name == Step.Name.SIGN:
            sign = passes.get((signification_id, name), [])
            timing.sign_passes = len(sign)
            timing.steps_s[name] = round(sum(sign), 3)
        else:
            timing.steps_s[name] = (step.finished_at - step.started_at).total_seconds()
    converted, signed = steps[Step.Name.CONVERT].finished_at, steps[Step.Name.SIGN].finished_at
    archived = steps[Step.Name.ARCHIVE].finished_at
    if converted is None or signed is None or archived is None:  # pragma: no cover - done
        return
    timing.sign_wall_s = (signed - converted).total_seconds()
    timing.finished = archived.timestamp()
    timing.end_to_end_s = timing.finished - timing.submitted
    timing.ok = not timing.error
