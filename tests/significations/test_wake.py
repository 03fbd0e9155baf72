"""Wake, don't poll (issue 10, item 3): a waiter is woken by a committed notification at once
(PostgreSQL LISTEN/NOTIFY, or a UNIX datagram socket per waiter on SQLite), and the signing
session returns as soon as its sign step is over instead of at its next poll."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from securact.core import wake
from securact.significations import process
from securact.significations.models import Signification, Step
from securact.significations.signing_session import run_signing_session
from tests.factories import ActNatureFactory, BailiffFactory, RecipientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_waiter_is_woken_by_a_committed_notification_only():
    with wake.Waiter("tests-channel") as waiter, wake.Waiter("tests-other") as other:
        assert not waiter.wait(0.1)
        with transaction.atomic():
            wake.notify("tests-channel")
        started = time.monotonic()
        assert waiter.wait(10)
        assert time.monotonic() - started < 1
        assert not other.wait(0.1)  # another channel is not woken
        assert not waiter.wait(0.1)  # one notification, one wake


def test_the_signing_session_ends_when_its_step_is_done_not_at_its_next_poll():
    bailiff = BailiffFactory()
    signification = Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=RecipientFactory(),
        nature=ActNatureFactory(),
        reference="REF-WAKE",
        actor_fingerprint="a" * 64,
        signing_certificate=b"",
        signing_token_label="t",
    )
    Step.objects.create(
        signification=signification, name=Step.Name.SIGN, position=2, state=Step.State.RUNNING
    )
    ended: list[float] = []

    def session() -> None:
        run_signing_session(signification.pk, "unused", timeout=60, poll=30)
        ended.append(time.monotonic())
        connection.close()

    thread = threading.Thread(target=session)
    thread.start()
    time.sleep(1)  # the session looked, found nothing to sign, and waits
    Step.objects.filter(signification=signification, name=Step.Name.SIGN).update(
        state=Step.State.DONE
    )
    done_at = time.monotonic()
    with transaction.atomic():
        wake.notify(process.channel(signification.pk))
    thread.join(40)
    assert ended and ended[0] - done_at < 2
