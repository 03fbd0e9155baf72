"""The benchmark's serving helper serves a real act through the one serve call, with real
workers and the bailiff's token, and its timings come from what the rows say."""

from __future__ import annotations

import pytest

from securact.bench.serving import ActRun, resolve_party, serve_one
from securact.significations.models import Signification

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_benchmark_serves_one_act_to_the_end(
    declared_bailiff, acts, workers, demo_layout, smtp_server, sms_gateway
):
    workers.start(1)
    run = serve_one(resolve_party(demo_layout), ActRun("BENCH-ONE-1", acts[0]), timeout=240)
    assert run.error == ""
    signification = Signification.objects.get(pk=run.signification_id)
    assert signification.reference == "BENCH-ONE-1"
    assert signification.state == Signification.State.DONE
    assert signification.source == Signification.Source.EDI
    assert run.submitted <= run.created
