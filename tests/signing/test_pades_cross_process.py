"""An act signed the way the service does it: prepared in one worker process, signed on
the bailiff's token by the request (which alone holds the PIN), finished B-LTA in another
worker process — the pending signature crossing as JSON — verifies offline."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from securact.signing import services
from securact.signing.pending import PendingSignature
from tests.signing.conftest import Bailiff, child_environment
from tests.signing.samples import pdfa_status, sample_pdfa

WORKER = Path(__file__).with_name("worker.py")


@dataclass(frozen=True)
class CrossProcessAct:
    pdf: Path
    pending: PendingSignature
    worker_pids: tuple[int, int]


def _worker(env: dict[str, str], *args: str, stdin: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, str(WORKER), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cross_process_act(
    tmp_path_factory: pytest.TempPathFactory, pki_server, demo_layout, identities, durand: Bailiff
) -> CrossProcessAct:
    work = tmp_path_factory.mktemp("cross-process")
    source = sample_pdfa(work / "acte.pdf")
    prepared, signed = work / "prepared.pdf", work / "signed.pdf"
    env = child_environment(demo_layout.root)
    sign_cert = identities["bailiff-durand"].record["sign_cert"]

    prepared_by = _worker(env, "prepare", str(source), str(prepared), sign_cert)
    pending = PendingSignature.from_json(prepared_by["pending"])

    started = time.perf_counter()
    [value] = durand.sign([pending.tbs])  # the request: the only place the PIN exists
    token_seconds = time.perf_counter() - started

    request = json.dumps(
        {"pending": pending.to_json(), "signature": base64.b64encode(value).decode()}
    )
    finished_by = _worker(env, "finish", str(prepared), str(signed), stdin=request)
    print(
        f"\ncross-process: prepare {prepared_by['seconds'] * 1000:.0f} ms, "
        f"token {token_seconds * 1000:.0f} ms, finish B-LTA {finished_by['seconds'] * 1000:.0f} ms"
    )
    return CrossProcessAct(signed, pending, (prepared_by["pid"], finished_by["pid"]))


def test_prepare_and_finish_ran_in_two_other_processes(cross_process_act: CrossProcessAct) -> None:
    prepare_pid, finish_pid = cross_process_act.worker_pids
    assert len({prepare_pid, finish_pid, os.getpid()}) == 3


def test_pending_state_is_plain_json(cross_process_act: CrossProcessAct) -> None:
    state = json.loads(cross_process_act.pending.to_json())
    assert state["kind"] == "pades"
    assert state["field_name"] == "Signature1"
    assert PendingSignature.from_json(json.dumps(state)) == cross_process_act.pending


def test_signature_validates_offline_as_b_lta(
    cross_process_act: CrossProcessAct, roots, chain, pki_down
) -> None:
    # pki_down: no TSA, OCSP or CRL server — only what the file carries and the root.
    report = services.validate_pades_offline(cross_process_act.pdf, roots, chain)
    assert report.ok, report
    assert (report.indication, report.subindication) == ("PASSED", "OK")
    assert (report.intact, report.valid, report.trusted) == (True, True, True)
    assert "Claire DURAND" in report.signer
    assert report.signature_timestamp is not None
    assert report.document_timestamps == 1


def test_pdfsig_reports_the_signature_intact(cross_process_act: CrossProcessAct) -> None:
    # poppler checks integrity only (its certificate status and timestamp support are
    # unreliable, see STACK-NOTES).
    out = subprocess.run(
        ["pdfsig", str(cross_process_act.pdf)], capture_output=True, text=True, check=False
    ).stdout
    first = out.split("Signature #2")[0]
    assert "Signature Field Name: Signature1" in first
    assert "Signature Validation: Signature is Valid." in first
    assert "Signature Field Name: Horodatage1" in out


def test_qpdf_finds_no_structural_error(cross_process_act: CrossProcessAct) -> None:
    done = subprocess.run(
        ["qpdf", "--check", str(cross_process_act.pdf)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_signed_pdf_still_claims_pdfa_2b(cross_process_act: CrossProcessAct) -> None:
    assert pdfa_status(cross_process_act.pdf) == "2B"
