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
    assert signification.source == Signification.Source.CLI
    assert run.submitted <= run.created


def test_the_benchmark_counts_two_token_logins_for_a_signification_of_five_acts(
    declared_bailiff, acts, workers, demo_layout, smtp_server, sms_gateway
):
    from securact.bench.logins import logins_per_signification
    from securact.workflow.serving import FileOnDisk

    workers.start(1)
    copies = [FileOnDisk(acts[0], f"acte-{n}.pdf") for n in range(1, 6)]
    figures = logins_per_signification(resolve_party(demo_layout), copies, timeout=240)
    assert figures == {"acts": 5, "token_logins_after_pin_check": 2, "finished": True}


def test_the_deposit_certificate_seal_is_a_primitive_of_the_ratio(
    declared_bailiff, demo_layout, pki_server
):
    from securact.bench import report
    from securact.bench.primitives import seal_runs

    times = seal_runs(resolve_party(demo_layout).signer, 2)
    assert len(times) == 2 and all(t > 0 for t in times)
    medians = {"ghostscript_pdfa": 0.1, "pades_b_lta": 0.5, "cades_p7s": 0.2}
    assert report.irreducible({**medians, "deposit_certificate_seal": 0.2}) == pytest.approx(1.0)


def test_the_benchmark_times_the_evidence_bundle_of_what_it_served(
    declared_bailiff, acts, workers, demo_layout, smtp_server, sms_gateway
):
    from securact.bench import bundles_bench

    workers.start(1)
    run = serve_one(resolve_party(demo_layout), ActRun("BENCH-BUNDLE-1", acts[0]), timeout=240)
    assert run.error == ""
    figures = bundles_bench.measure(lambda _message: None)
    assert figures["bundles"] == 1
    assert figures["max_s"] is not None and figures["max_s"] > 0
    assert figures["pass"] is (figures["max_s"] < bundles_bench.TARGET_BUNDLE_S)
    row = bundles_bench.target_row(figures)
    assert row["value"] == figures["max_s"] and "1 bundles" in row["detail"]
