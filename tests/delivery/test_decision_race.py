"""Openings and deadline decisions racing in separate processes (the portal's requests, the
deadline task, the sweepers of several workers) take exactly one decision per signification,
consistent with the times: *à personne* at the opening, or *à domicile* at the deadline."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from securact.delivery.models import DeliveryCertificate
from securact.evidence.journal import entries_for
from securact.significations.models import DeliveryState, Signification
from tests.conftest import database_url
from tests.delivery.conftest import Deposits

SCRIPT = Path(__file__).with_name("race_worker.py")
SRC = Path(__file__).resolve().parents[2] / "src"
RACERS = ("open", "decide", "open", "decide")
SIGNIFICATIONS = 12


def _race(ids: list[int]) -> list[list[int]]:
    env = {
        **os.environ,
        "SECURACT_DATABASE_URL": database_url(),
        "SECURACT_DATA_DIR": tempfile.mkdtemp(prefix="securact-race-"),
        "PYTHONPATH": str(SRC),
    }
    racers = [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), action, *map(str, ids)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for action in RACERS
    ]
    for racer in racers:  # all connected before anyone starts
        assert racer.stdout is not None
        assert racer.stdout.readline().strip() == "ready"
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert all(racer.returncode == 0 for racer in racers)
    return [[int(pk) for pk in out.split()] for out in outputs]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_opening_and_deadline_racing_decide_once(act_natures, tmp_path: Path) -> None:
    deposits = Deposits(tmp_path)
    ids = [deposits.make().pk for _ in range(SIGNIFICATIONS)]
    decided = _race(ids)

    counts = Counter(pk for by_racer in decided for pk in by_racer)
    assert counts == Counter(dict.fromkeys(ids, 1))  # each decided by exactly one racer
    assert DeliveryCertificate.objects.filter(pk__in=ids).count() == SIGNIFICATIONS
    for signification in Signification.objects.filter(pk__in=ids):
        entries = entries_for(signification.pk)
        decisions = entries.filter(action__in=["delivery.in_person", "delivery.at_home"])
        assert decisions.count() == 1
        assert entries.filter(action="act.opened").count() == 1  # two openers, one first
        assert entries.filter(action="act.downloaded").count() == 2
        deadline = signification.delivery_deadline
        assert deadline is not None and signification.opened_at is not None
        if signification.delivery_state == DeliveryState.IN_PERSON:
            assert signification.delivered_at == signification.opened_at < deadline
        else:
            assert signification.delivery_state == DeliveryState.AT_HOME
            assert signification.delivered_at == deadline
        mode = DeliveryCertificate.objects.get(pk=signification.pk).mode
        assert mode == signification.delivery_state
