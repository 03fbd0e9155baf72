"""Faults during the service process (issue: "Bad input and faults"): a worker killed with
SIGKILL mid-process, the TSA down, the SMTP server down. Each time the signification ends
with exactly one deposit per act, one archive, one alert, and nothing lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from securact.evidence.checking import check_tree
from securact.evidence.journal import entries_for
from securact.notify.models import Notification
from securact.pki.certificates import pem_to_der
from securact.pki.services import validate_client_certificate
from securact.significations import process
from securact.significations.models import Act, Signification, Step
from securact.significations.services import wait_until_finished
from securact.significations.signing_session import run_signing_session
from securact.vault.models import StoredFile
from securact.workflow.cli import ServeResult
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
    assert check_tree().problems == []


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


def test_smtp_down_longer_than_the_step_budget_never_fails_a_deposited_signification(
    declared_bailiff, acts, workers, tmp_path, sms_gateway
):
    """Issue 10, item 8: SMTP down for longer than the steps' retry budget. The signification
    completes by itself (certificate and archive do not wait for the email), the SMS goes
    out at once, the alert step shows « alerte en attente », and once the SMTP server is up
    the email is sent exactly once."""
    from aiosmtpd.controller import Controller

    from tests.processes import free_port
    from tests.service_fixtures import MailCollector

    smtp_port = free_port()  # nothing listens there yet
    workers.env.update(
        SECURACT_STEP_MAX_ATTEMPTS="2",
        SECURACT_STEP_BACKOFF="0.2",
        SECURACT_ALERT_RETRY_BACKOFF="0.3,0.5,1",
        SECURACT_ALERT_RETRY_HOURS="1",
        SECURACT_SMTP_PORT=str(smtp_port),
    )
    workers.start(1)
    sms_before = len(sms_gateway.received)
    result = _serve(declared_bailiff, acts[:1], tmp_path, reference="SMTP-DOWN")
    assert result.succeeded, result.as_dict()
    signification_id = result.signification_id
    email = Notification.objects.filter(signification_id=signification_id, channel="email")
    # Far past the old budget (2 attempts), the email is still retried, never failed.
    _wait_for(lambda: email.get().attempts >= 4, timeout=60)
    signification = Signification.objects.get(pk=signification_id)
    assert signification.state == Signification.State.DONE
    alert = Step.objects.get(signification_id=signification_id, name="alert")
    assert alert.state == Step.State.DONE
    assert "alerte en attente" in alert.error.lower(), alert.error
    assert email.get().status in {Notification.Status.PENDING, Notification.Status.SENDING}
    sms = Notification.objects.get(signification_id=signification_id, channel="sms")
    assert sms.status == Notification.Status.SENT  # not held by the email
    stored = StoredFile.objects.filter(signification_id=signification_id)
    assert stored.filter(kind=StoredFile.Kind.DEPOSIT_CERTIFICATE).count() == 1
    assert stored.filter(kind=StoredFile.Kind.ARCHIVE).count() == 1
    # A restart loses nothing: the new worker picks the pending email up again.
    workers.stop()
    collector = MailCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        workers.start(1)
        _wait_for(lambda: email.get().status == Notification.Status.SENT, timeout=60)
        time.sleep(2)  # any duplicate retry chain would have sent again by now
    finally:
        controller.stop()
    assert len(collector.messages) == 1
    assert len(sms_gateway.received) == sms_before + 1
    assert Step.objects.get(signification_id=signification_id, name="alert").error == ""
    _exactly_once(Signification.objects.get(pk=signification_id), 1)
