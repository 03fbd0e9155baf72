"""Faults during the service process (issue: "Bad input and faults"): a worker killed with
SIGKILL mid-process, the TSA down, the SMTP server down. Each time the signification ends
with exactly one deposit per act, one archive, one alert, and nothing lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from securact.evidence.journal import entries_for, verify_chain
from securact.notify.models import Notification
from securact.pki.certificates import pem_to_der
from securact.pki.services import validate_client_certificate
from securact.significations import process
from securact.significations.cli import ServeResult
from securact.significations.models import Act, Signification, Step
from securact.significations.services import wait_until_finished
from securact.significations.signing_session import run_signing_session
from securact.vault.models import StoredFile
from tests.significations.test_serve_end_to_end import _serve

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _in_background(target) -> tuple[threading.Thread, list[ServeResult]]:
    results: list[ServeResult] = []

    def run() -> None:
        from django.db import connection

        try:
            results.append(target())
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, results


def _wait_for(condition, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the awaited state never came")


def _step_state(name: str) -> str | None:
    step = Step.objects.filter(name=name).order_by("-pk").first()
    return step.state if step else None


def _exactly_once(signification: Signification, acts: int) -> None:
    stored = StoredFile.objects.filter(signification_id=signification.pk)
    assert stored.filter(kind=StoredFile.Kind.ACT).count() == acts
    assert stored.filter(kind=StoredFile.Kind.ARCHIVE).count() == 1
    assert stored.filter(kind=StoredFile.Kind.DEPOSIT_CERTIFICATE).count() == 1
    assert (
        Notification.objects.filter(signification_id=signification.pk, status="sent").count() == 2
    )
    actions = list(entries_for(signification.pk).values_list("action", flat=True))
    assert actions.count("signification.deposited") == acts
    assert actions.count("signification.archived") == 1
    assert actions.count("alert.email.sent") == 1
    assert verify_chain() == []


@pytest.mark.parametrize("kill_when", ["converting", "signing", "after_deposit"])
def test_a_worker_killed_mid_process_is_taken_over_without_repeating_anything(
    kill_when, declared_bailiff, acts, workers, tmp_path, smtp_server, sms_gateway
):
    conditions = {
        "converting": lambda: _step_state("convert") == Step.State.RUNNING,
        "signing": lambda: (
            _step_state("sign") == Step.State.RUNNING
            # a later pass (the token's signatures are in): normal passes cost no attempt
            and Act.objects.filter(pades_signature__isnull=False).exists()
        ),
        "after_deposit": lambda: _step_state("deposit") == Step.State.DONE,
    }
    workers.start(1)
    thread, results = _in_background(
        lambda: _serve(declared_bailiff, acts, tmp_path, reference=f"KILL-{kill_when}")
    )
    _wait_for(conditions[kill_when])
    workers.kill_all()
    workers.start(1)  # a new worker recovers what the dead one left running
    thread.join(timeout=600)  # longer than serve() itself may take (240 s + 240 s)
    assert results and results[0].succeeded, results and results[0].as_dict()
    signification = Signification.objects.get(pk=results[0].signification_id)
    _exactly_once(signification, len(acts))
    assert len(smtp_server[1].messages) >= 1


def test_tsa_down_fails_the_signing_step_in_french_then_relancer_completes(
    declared_bailiff, acts, workers, tmp_path, pki_server, settings
):
    workers.env.update(SECURACT_STEP_MAX_ATTEMPTS="3", SECURACT_STEP_BACKOFF="0.2")
    workers.start(1)
    # The bailiff's certificate was judged while the PKI answered (serve validates it as the
    # sign-in does, and keeps the verdict): what goes down here is the TSA, mid-process.
    der = pem_to_der(Path(declared_bailiff.cert).read_bytes())
    assert validate_client_certificate(der).accepted
    pki_server.stop()
    try:
        result = _serve(declared_bailiff, acts[:1], tmp_path, reference="TSA-DOWN")
    finally:
        pki_server.start()
    step = Step.objects.get(signification_id=result.signification_id, name="sign")
    assert step.state == Step.State.FAILED
    assert step.attempts == 3
    assert "horodatage" in step.error.lower() or "révocation" in step.error.lower(), step.error
    assert StoredFile.objects.filter(signification_id=result.signification_id).count() == 0
    # Relancer of the signing step: the bailiff gives the PIN again (it was never kept).
    assert process.retry(result.signification_id, "sign")
    run_signing_session(result.signification_id, declared_bailiff.record["pin"], timeout=180)
    assert wait_until_finished(result.signification_id, 180)
    signification = Signification.objects.get(pk=result.signification_id)
    assert signification.state == Signification.State.DONE
    _exactly_once(signification, 1)


def test_smtp_down_fails_the_alert_but_keeps_the_deposit_then_relancer_sends_once(
    declared_bailiff, acts, workers, tmp_path, smtp_server
):
    from tests.processes import free_port

    workers.env.update(
        SECURACT_STEP_MAX_ATTEMPTS="2",
        SECURACT_STEP_BACKOFF="0.2",
        SECURACT_SMTP_PORT=str(free_port()),
    )  # nothing listens there
    workers.start(1)
    result = _serve(declared_bailiff, acts[:1], tmp_path, reference="SMTP-DOWN")
    signification_id = result.signification_id
    step = Step.objects.get(signification_id=signification_id, name="alert")
    assert step.state == Step.State.FAILED
    assert step.error
    assert (
        StoredFile.objects.filter(
            signification_id=signification_id, kind=StoredFile.Kind.ACT
        ).count()
        == 1
    )
    workers.stop()
    workers.env["SECURACT_SMTP_PORT"] = str(smtp_server[0])
    workers.start(1)
    before = len(smtp_server[1].messages)
    assert process.retry(signification_id, "alert")
    assert wait_until_finished(signification_id, 120)
    assert len(smtp_server[1].messages) == before + 1
    _exactly_once(Signification.objects.get(pk=signification_id), 1)
