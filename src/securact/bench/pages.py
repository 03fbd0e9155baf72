"""The pages a bailiff opens, timed in this process through Django's test ``Client``: the
whole request path (the client-certificate middleware in proxy mode, the session, the
view, the template), without the network and without TLS.

``plan`` lists the pages with their variants — different values, pages and sorts, search
terms that match and terms that do not — read from the seeded database. ``measure`` sends
each page's requests in turn (warm-up first, not counted), cycling through its variants,
and keeps every request's time and number of SQL queries.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from securact.dashboard.listing import PER_PAGE_CHOICES, SORTS
from securact.dashboard.models import Category, UnviewedCount
from securact.directory.models import ActNature, Bailiff
from securact.significations.models import Act, DeliveryState, Signification
from securact.significations.queries import PARIS, SORT_KEYS

TARGET_P95_MS = 100.0
SAMPLE_SIGNIFICATIONS = 30
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Variant:
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.path}?{query}" if query else self.path


@dataclass(frozen=True)
class Page:
    group: str  # dashboard, table, search, detail
    name: str
    variants: list[Variant]


@dataclass
class Sample:
    """What a few of the practice's significations hold: the values searched for."""

    ids: list[int]
    references: list[str]
    days: list[date]
    recipients: list[str]
    documents: list[str]


def sample(bailiff: Bailiff, rng: random.Random, size: int = SAMPLE_SIGNIFICATIONS) -> Sample:
    """``size`` deposited significations of the bailiff's practice picked at random (one
    indexed lookup each: never a scan of the practice)."""
    mine = Signification.objects.filter(practice=bailiff.practice, sent_at__isnull=False)
    bounds = mine.order_by("id").values_list("id", flat=True)
    first, last = bounds.first(), mine.order_by("-id").values_list("id", flat=True).first()
    if first is None or last is None:
        raise RuntimeError("no deposited signification to measure the pages on")
    found: dict[int, Signification] = {}
    for _ in range(size * 3):
        pick = (
            mine.filter(id__gte=rng.randint(first, last))
            .order_by("id")
            .select_related("recipient")
            .first()
        )
        if pick is not None:
            found[pick.pk] = pick
        if len(found) >= size:
            break
    chosen = list(found.values())
    names = dict(
        Act.objects.filter(signification__in=chosen, position=1).values_list(
            "signification_id", "deposited_name"
        )
    )
    return Sample(
        ids=[s.pk for s in chosen],
        references=[s.reference for s in chosen],
        days=[s.sent_at.astimezone(PARIS).date() for s in chosen if s.sent_at is not None],
        recipients=[s.recipient.name for s in chosen],
        documents=[names.get(s.pk, "") for s in chosen],
    )


def plan(bailiff: Bailiff, rng: random.Random) -> list[Page]:
    found = sample(bailiff, rng)
    return [
        Page("dashboard", "dashboard /", [Variant("/")]),
        *_tables(bailiff),
        *_searches(found),
        Page(
            "detail",
            "detail /significations/<id>/",
            [Variant(f"/significations/{pk}/") for pk in found.ids],
        ),
    ]


# --- the four category tables (htmx fragments) ---------------------------------------------


def _tables(bailiff: Bailiff) -> list[Page]:
    counts = dict(UnviewedCount.objects.filter(bailiff=bailiff).values_list("category", "unviewed"))
    pages = []
    for category in Category:
        path = f"/agenda/{category.value}/"
        last = max(1, math.ceil(counts.get(category.value, 0) / 10))
        variants = [Variant(path, {}, HTMX)]
        variants += [Variant(path, {"lignes": str(n)}, HTMX) for n in PER_PAGE_CHOICES[1:]]
        variants += [
            Variant(path, {"tri": f"{sign}{key}"}, HTMX) for key in SORTS for sign in ("", "-")
        ]
        variants += [
            Variant(path, {"page": str(n)}, HTMX) for n in sorted({2, 3, last // 2 or 1, last})
        ]
        pages.append(Page("table", f"table {category.value}", variants))
    filters = ["banque", "crédit", "24-0001", "zzzz introuvable"]
    pages.append(
        Page(
            "table",
            "table awaiting+in_person, filtered",
            [
                Variant(f"/agenda/{category}/", {"filtre": text}, HTMX)
                for text in filters
                for category in (Category.AWAITING, Category.IN_PERSON)
            ],
        )
    )
    return pages


# --- search, one page per criterion of the manual ------------------------------------------


def _search(name: str, params: list[dict[str, str]]) -> Page:
    return Page("search", f"search {name}", [Variant("/rechercher/", p) for p in params])


def _searches(found: Sample) -> list[Page]:
    natures = list(ActNature.objects.filter(is_active=True).values_list("code", flat=True))
    return [
        _search("(no criterion)", [{}]),
        _search("dates du/au", _date_ranges(found.days)),
        _search("etat", [{"etat": state.value} for state in DeliveryState]),
        _search(
            "reference",
            _texts("reference", found.references, [r[-6:] for r in found.references], ["ZZ-404"]),
        ),
        _search(
            "document",
            _texts(
                "document",
                found.documents,
                # What a bailiff types: the reference inside a deposited name, a word.
                [name.split("_")[1] for name in found.documents if name.count("_") >= 2],
                ["titre", "bordereau", "décompte", "introuvable.pdf"],
            ),
        ),
        _search(
            "destinataire",
            _texts(
                "destinataire",
                found.recipients,
                [name.split()[0] for name in found.recipients],
                ["98000", "zzzz"],  # a SIRET prefix of most recipients; nobody
            ),
        ),
        _search("nature", [{"nature": code} for code in natures]),
        _search("source", [{"source": "web"}, {"source": "edi"}]),
        _search("sort (tri)", [{"tri": f"{sign}{key}"} for key in SORT_KEYS for sign in ("", "-")]),
        _search("paging", [{"page": str(n)} for n in (2, 10, 100, 500, 1000)]),
    ]


def _texts(
    name: str, whole: list[str], parts: list[str], others: list[str]
) -> list[dict[str, str]]:
    """Whole values seen in the database, parts of others, and fixed terms (some of which
    match nothing)."""
    texts = [v for v in whole[:5] if v] + [v for v in parts[5:10] if v] + others
    return [{name: text} for text in texts]


def _date_ranges(days: list[date]) -> list[dict[str, str]]:
    ranges = []
    for day in days[:8]:
        month = day.replace(day=1)
        ranges.append({"du": month.isoformat(), "au": (month + timedelta(days=30)).isoformat()})
        ranges.append({"du": day.isoformat(), "au": day.isoformat()})
    latest = max(days)
    ranges.append({"du": (latest - timedelta(days=30)).isoformat()})
    ranges.append({"au": (latest - timedelta(days=700)).isoformat()})
    return ranges


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Timing:
    url: str
    status: int
    ms: float
    queries: int


def timed_get(client: Client, variant: Variant) -> Timing:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(variant.path, variant.params, secure=True, headers=variant.headers)
        elapsed = time.perf_counter() - started
    return Timing(variant.url, response.status_code, elapsed * 1000, len(captured))


def measure(
    client: Client,
    pages: list[Page],
    requests: int,
    warmup: int,
    progress: Callable[[str], None] = lambda _message: None,
) -> list[dict[str, Any]]:
    results = []
    for page in pages:
        progress(f"pages: {page.name} ({len(page.variants)} variant(s), {requests} requests)")
        for index in range(warmup):
            timed_get(client, page.variants[index % len(page.variants)])
        timings = [
            timed_get(client, page.variants[i % len(page.variants)]) for i in range(requests)
        ]
        results.append(summarise(page, timings))
    return results


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value that ``share`` of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarise(page: Page, timings: list[Timing]) -> dict[str, Any]:
    times = [t.ms for t in timings]
    queries = [t.queries for t in timings]
    slowest = max(timings, key=lambda t: t.ms)
    return {
        "group": page.group,
        "name": page.name,
        "variants": len(page.variants),
        "requests": len(timings),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times),
        "queries_min": min(queries),
        "queries_max": max(queries),
        "slowest_url": slowest.url,
        "errors": [f"{t.url}: HTTP {t.status}" for t in timings if t.status != 200],
        "by_url": _by_url(timings),
        "example_url": page.variants[0].url,
    }


def _by_url(timings: list[Timing]) -> dict[str, dict[str, float]]:
    """Each variant's requests: the median and the slowest (which variant costs what)."""
    times: dict[str, list[float]] = {}
    for timing in timings:
        times.setdefault(timing.url, []).append(timing.ms)
    return {
        url: {"median_ms": statistics.median(ms), "max_ms": max(ms)} for url, ms in times.items()
    }
