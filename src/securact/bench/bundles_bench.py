"""The evidence bundle timed (issue 12, item 7: "a bundle of a signification built in < 2 s").

Run by ``make bench`` after the served-acts phases, on the significations the bench has just
served (archived: acts, ``.p7s``, deposit certificate, journal entries): each bundle is
built in full by :func:`securact.bundles.bundle.build_bundle`, reading every document back
from the vault and checking it, and proving every journal entry; the first also publishes
the checkpoint that holds the newest entries (the token signs, the TSA stamps), as a bundle
asked right after serving does. The target is on the slowest bundle.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from securact.bundles.bundle import build_bundle
from securact.significations.models import Signification

TARGET_BUNDLE_S = 2.0
BUNDLES = 20


def measure(progress: Callable[[str], None], count: int = BUNDLES) -> dict[str, Any]:
    """Seconds per bundle (median, max) over the ``count`` most recently archived."""
    ids = list(
        Signification.objects.filter(archived_at__isnull=False)
        .order_by("-archived_at")
        .values_list("pk", flat=True)[:count]
    )
    progress(f"evidence bundles of {len(ids)} served significations")
    seconds: list[float] = []
    sizes: list[int] = []
    for signification_id in ids:
        out = io.BytesIO()
        started = time.perf_counter()
        build_bundle(signification_id, out)
        seconds.append(time.perf_counter() - started)
        sizes.append(out.tell())
    slowest = max(seconds) if seconds else None
    return {
        "bundles": len(seconds),
        "median_s": statistics.median(seconds) if seconds else None,
        "max_s": slowest,
        "first_s": seconds[0] if seconds else None,
        "median_bytes": int(statistics.median(sizes)) if sizes else None,
        "target": f"< {TARGET_BUNDLE_S} s (slowest)",
        "pass": slowest is not None and slowest < TARGET_BUNDLE_S,
    }


def target_row(figures: dict[str, Any]) -> dict[str, Any]:
    """The bundle's line among the bench's targets."""
    return {
        "name": "evidence bundle of a served signification (issue 12), slowest",
        "value": figures["max_s"],
        "target": figures["target"],
        "pass": figures["pass"],
        "detail": f"{figures['bundles']} bundles, median {_s(figures['median_s'])} s, first "
        f"(publishes a checkpoint) {_s(figures['first_s'])} s",
    }


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
