"""The page benchmark's own code — seed, sign-in, plan, measurement, report — run on a few
hundred significations, so that ``make bench`` cannot rot between its runs. No timing is
checked here: speed is measured by the benchmark command, never by a test."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from securact.bench import pages, pages_report, pages_runner, seed_journal, seed_pages
from securact.dashboard.models import DashboardNotice, UnviewedCount
from securact.directory.validators import normalize_name
from securact.significations.models import Act, Signification, Step
from securact.vault.models import Folder, StoredFile

COUNT = 300


@pytest.fixture
def bench_client(settings, identities, pki_server, demo_directory):
    """The benchmark's own sign-in: the holder's vault declared, a client sending his
    certificate as nginx forwards it (proxy mode, as the benchmark's child process sets)."""
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    holder = identities[pages_runner.SIGNED_IN].record
    bailiff = pages_runner.declare_signed_in(holder)
    return pages_runner.signed_in_client(holder), bailiff


@pytest.mark.django_db
def test_the_seed_holds_what_the_pages_read(bench_client):
    _client, bailiff = bench_client
    report = seed_pages.seed(bailiff, COUNT)

    mine = Signification.objects.filter(practice=bailiff.practice)
    assert report.rows["significations"] == Signification.objects.count() == COUNT
    assert 0.5 * COUNT < mine.count() < 0.8 * COUNT  # the signed-in bailiff's big étude
    assert Step.objects.count() == 6 * COUNT
    assert Act.objects.count() == report.rows["acts"] >= COUNT
    deposited = Signification.objects.exclude(sent_at=None).count()
    assert StoredFile.objects.filter(kind=StoredFile.Kind.ARCHIVE).count() == deposited
    # Every folder holding files has its row, as deposits make them (vault.folders).
    holding = StoredFile.objects.exclude(folder="/").values_list("vault_id", "folder")
    assert set(holding) <= set(Folder.objects.values_list("vault_id", "path"))
    assert report.rows["vault folders"] >= 1
    # The counters were rebuilt from the notices (services.recount).
    for counter in UnviewedCount.objects.all():
        unviewed = DashboardNotice.objects.filter(
            bailiff_id=counter.bailiff_id, category=counter.category, viewed_at=None
        )
        assert counter.unviewed == unviewed.count()
    # The filter box's text is the one the service writes (dashboard.services).
    for notice in DashboardNotice.objects.all():
        shown = [notice.reference, notice.deposited_file, notice.recipient_name, notice.event]
        assert notice.search_text == normalize_name(" ".join(shown))[:800]
    # The entries, leaves and tiles the seed made are those journal.append and the tree's
    # integration would have made (the whole check recomputes each leaf and the root).
    assert seed_journal.check_whole() == report.rows["journal entries"] > 6 * COUNT
    assert seed_journal.check_sample(size=50) > 0


@pytest.mark.django_db
def test_every_planned_page_answers_and_the_report_prints(bench_client):
    client, bailiff = bench_client
    seed_pages.seed(bailiff, COUNT)
    plan = pages.plan(bailiff, random.Random(1))

    measured = pages.measure(client, plan, requests=3, warmup=1)

    assert {page["group"] for page in measured} == {"dashboard", "table", "search", "detail"}
    assert [page["errors"] for page in measured] == [[] for _ in measured]
    assert all(page["queries_max"] > 0 and page["requests"] == 3 for page in measured)
    results = {
        "date": "2026-11-27T00:00:00+01:00",
        "machine": pages_report.machine((0.0, 0.0, 0.0)),
        "requests_per_page": 3,
        "warmup_per_page": 1,
        "target_p95_ms": pages.TARGET_P95_MS,
        "databases": [
            {
                "vendor": "postgresql",
                "count": COUNT,
                "server": "test",
                "practice_share": {"practice": 1, "bailiff": 1, "all": COUNT},
                "seed": {"rows": {}, "seconds": {}, "total_s": 0.0},
                "analyze_s": 0.0,
                "journal_checked": {"entries": 0, "scope": "whole chain"},
                "pages": measured,
            }
        ],
        "results_path": "var/bench/pages.json",
    }
    out = io.StringIO()
    pages_report.print_table(results, out)
    table = out.getvalue()
    assert all(page["name"] in table for page in measured)
    assert "Target p95 < 100 ms on PostgreSQL, every page:" in table


@pytest.mark.django_db
def test_the_vault_pages_of_the_benchmark_answer(bench_client, identities):
    """Issue 11, item 9: a bank's vault seeded (rows and folder rows), every planned vault
    page answers 200 for the bank, and the bailiff's own vault pages too."""
    from django.utils import timezone

    from securact.bench import seed_vault, vault_pages
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    client, bailiff = bench_client
    seed_pages.seed(bailiff, 100)
    holder = identities[pages_runner.BANK].record
    pem = Path(holder["auth_cert"]).read_bytes()
    bank = declare_vault(parse_certificate(pem_to_der(pem)))
    now = timezone.now()

    rows = seed_vault.seed(bank, 500, now)
    held = vault_pages.ready(bank)

    assert rows["files"] == held["files"] == 500
    filed = set(StoredFile.objects.filter(vault=bank).values_list("folder", flat=True))
    assert filed - {"/"} and filed <= set(
        Folder.objects.filter(vault=bank).values_list("path", flat=True)
    ) | {"/"}
    plan = vault_pages.bank_plan(bank, now, random.Random(1))
    measured = pages.measure(pages_runner.signed_in_client(holder), plan, requests=2, warmup=0)
    measured += pages.measure(client, vault_pages.bailiff_plan(bailiff.vault), 2, 0)
    assert {page["group"] for page in measured} == {"vault"}
    assert [page["errors"] for page in measured] == [[] for _ in measured]
