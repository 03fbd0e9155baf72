"""A batch whose request dies midway (SIGKILL of its process, holding an item): submitted
again, it serves each item once — the item already created keeps its signification (and is
signed now), the item left ``processing`` by the dead process is taken over, the last one is
served — and nothing is served twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from securact.core.workers import worker_identity
from securact.edi.batch_status import BatchState, ItemState, batch_status
from securact.edi.batches import ItemRequest, submit_batch
from securact.edi.models import Batch, BatchItem
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification, Step
from securact.significations.services import wait_until_finished
from tests.conftest import TEST_ROOT
from tests.edi.conftest import BANQUE_TEST
from tests.edi.receiver import wait_until
from tests.processes import BIN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RUNNER = Path(__file__).with_name("batch_runner.py")


def test_a_batch_killed_midway_is_resumed_and_serves_nothing_twice(
    practice, durand, caller, upload, identities, remote_signers, workers
):
    record = identities["bailiff-durand"].record
    acts = [str(upload(f"acte-{n}.pdf").pk) for n in range(3)]
    items = [
        ItemRequest(f"KILL-{n}", BANQUE_TEST, "mainlevee", durand.pk, [acts[n]]) for n in range(3)
    ]
    workers.start(1)
    env = {
        **os.environ,
        **workers.env,
        "SECURACT_ENFORCE_LEGAL_HOURS": "0",
        "SECURACT_ENFORCE_SUNDAYS": "0",
        "SECURACT_ENFORCE_HOLIDAYS": "0",
    }
    with (TEST_ROOT / "batch-runner.log").open("ab") as log:
        runner = subprocess.Popen(
            [str(BIN / "python"), str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        assert runner.stdin is not None
        runner.stdin.write(
            json.dumps(
                {
                    "practice": "9991",
                    "caller": caller,
                    "batch": "LOT-KILL",
                    "token_label": record["token_label"],
                    "sign_cert": record["sign_cert"],
                    "pin": record["pin"],
                    "items": [
                        {
                            "reference": i.reference,
                            "recipient_siret": i.recipient_siret,
                            "nature": i.nature,
                            "bailiff": i.bailiff,
                            "uploads": list(i.uploads),
                        }
                        for i in items
                    ],
                }
            ).encode()
        )
        runner.stdin.close()
        try:
            wait_until(
                lambda: (
                    list(BatchItem.objects.order_by("position").values_list("state", flat=True))
                    == ["created", "processing", "received"]
                ),
                timeout=120,
            )
        finally:
            runner.send_signal(signal.SIGKILL)
            runner.wait()

    killed = {i.reference: i for i in BatchItem.objects.all()}
    assert killed["KILL-1"].claimed_by.endswith(f":{runner.pid}")
    assert killed["KILL-1"].claimed_by != worker_identity()
    created = killed["KILL-0"].signification
    assert created is not None and Signification.objects.count() == 1
    # Its request died before signing: it waits for the signature.
    assert created.steps.get(name=Step.Name.SIGN).state != Step.State.DONE

    status = submit_batch(practice, caller, "LOT-KILL", items, remote_signers, signing_seconds=240)

    assert [i.state for i in status.items if i.state == ItemState.REFUSED] == []
    assert Batch.objects.count() == 1
    assert Signification.objects.count() == 3
    assert status.items[0].signification_id == created.pk
    assert JournalEntry.objects.filter(action="signification.submitted").count() == 3
    for signification in Signification.objects.all():
        assert signification.steps.get(name=Step.Name.SIGN).state == Step.State.DONE
        assert wait_until_finished(signification.pk, 240)
    assert batch_status(Batch.objects.get()).state == BatchState.DONE
