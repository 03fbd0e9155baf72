"""A worker killed with SIGKILL while its alert email is being handed to the SMTP server
(issue 10, item 8): the next worker takes the dead worker's claim over at once and the
signification completes by itself, with exactly one email delivered."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from securact.notify.models import Notification
from securact.significations.models import Signification, Step
from tests.processes import free_port
from tests.service_fixtures import MailCollector
from tests.significations.test_serve_end_to_end import _serve
from tests.significations.test_service_faults import _exactly_once, _in_background, _wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class HoldingFirstRecipient(MailCollector):
    """Holds the first RCPT TO unanswered until released: the sending worker is then in the
    middle of its send, and a kill there delivers nothing (the DATA never comes)."""

    def __init__(self) -> None:
        super().__init__()
        self.holding, self.release = threading.Event(), threading.Event()
        self.held = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if not self.held:
            self.held = True
            self.holding.set()
            for _tick in range(300):  # at most 15 s, under the client's 20 s timeout
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def holding_smtp() -> Iterator[tuple[int, HoldingFirstRecipient]]:
    handler, port = HoldingFirstRecipient(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler
    handler.release.set()
    controller.stop()


def test_a_worker_killed_during_the_alert_is_taken_over_and_one_email_goes_out(
    declared_bailiff, acts, workers, tmp_path, holding_smtp
):
    port, smtp = holding_smtp
    # Few, quick retries: a claim left to its 300 s lease would fail the step at once.
    workers.env.update(
        SECURACT_SMTP_PORT=str(port),
        SECURACT_STEP_MAX_ATTEMPTS="3",
        SECURACT_STEP_BACKOFF="0.2",
    )
    workers.start(1)
    thread, results = _in_background(
        lambda: _serve(declared_bailiff, acts[:1], tmp_path, reference="KILL-ALERT")
    )
    assert smtp.holding.wait(timeout=240), "the alert never reached the SMTP server"
    assert Notification.objects.get(channel="email").status == Notification.Status.SENDING
    workers.kill_all()
    smtp.release.set()
    workers.start(1)  # recovers the alert step; the dead worker's email claim is free
    thread.join(timeout=300)
    assert results and results[0].succeeded, results and results[0].as_dict()
    signification = Signification.objects.get(pk=results[0].signification_id)
    assert signification.state == Signification.State.DONE
    assert Step.objects.get(signification=signification, name="alert").error == ""
    _wait_for(lambda: len(smtp.messages) >= 1, timeout=5)
    assert len(smtp.messages) == 1
    _exactly_once(signification, 1)
