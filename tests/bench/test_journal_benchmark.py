"""The journal benchmark's own code — writers, proofs, integration, report — run small, so
that ``make bench`` cannot rot between its runs. No timing is checked here."""

from __future__ import annotations

import io
import random
import tempfile

import pytest

from securact.bench import journal_tree, seed_journal
from securact.evidence import tree
from securact.evidence.checking import check_tree
from tests.conftest import database_url


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_journal_benchmark_measures_and_reports(monkeypatch, pki_server) -> None:
    monkeypatch.setenv("SECURACT_DATABASE_URL", database_url())  # the writers' database
    monkeypatch.setenv("SECURACT_DATA_DIR", tempfile.mkdtemp(prefix="securact-bench-"))
    rng = random.Random(1)
    assert seed_journal.load_events(journal_tree.synthetic_events(700, rng)) == 700

    figures = journal_tree.measure(
        lambda _message: None, writers=2, seconds=1.0, proofs=30, integrate=600
    )

    assert figures["entries"] == 700
    assert figures["proofs"]["count"] == 30 and figures["proofs"]["tree_size"] == 700
    appends = figures["appends"]
    assert appends["entries"] > 0 and appends["all_integrated"]
    assert appends["cpu_us_per_entry"]["writers"] > 0
    assert figures["integration"]["entries"] == 600
    checkpoint = figures["integration"]["checkpoint"]  # signed and timestamped (test PKI)
    assert checkpoint["error"] is None and checkpoint["tree_size"] == 700 + appends["entries"] + 600
    assert tree.current_head().size == 700 + appends["entries"] + 600
    assert check_tree().problems == []
    out = io.StringIO()
    journal_tree.print_report(figures, out)
    report = out.getvalue()
    assert "appends, 2 writers" in report and "inclusion proof at 700 leaves" in report
    assert "integration of 600 new entries" in report and "signed checkpoint" in report
    assert set(journal_tree.verdicts(figures)) == {"appends", "proofs", "integration"}
