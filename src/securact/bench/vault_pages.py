"""The vault pages (issue 11, item 9) timed like the other pages: a bank whose vault holds
``count`` files (``seed_vault``: acts and data messages at the root, a tenth filed in month
folders) signs in with its certificate and opens its root (first, middle and last page), a
month folder, the search (a file name that matches, one that does not, a kind over a month),
a file's page, its journal and its account; then the signed-in bailiff opens his own vault,
whose root holds one folder per archived signification of the page seed.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import connection

from securact.bench.pages import Page, Variant
from securact.bench.seed_vault import month_folder
from securact.vault.folders import sync_folders
from securact.vault.models import Folder, StoredFile, Vault
from securact.vault_pages.tables import PAGE_SIZE

SAMPLE_FILES = 30
ROOT_PATH = "/coffre-fort/"


def analyze() -> None:
    """Statistics, and outside a transaction (the benchmark, not a test) a VACUUM as well:
    the visibility map that lets the occupation's sum read its index alone, and the trigram
    indexes' pending entries merged — what a database that has lived for years has."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def bank_plan(vault: Vault, now: datetime, rng: random.Random) -> list[Page]:
    """The bank's pages, with variants read from its seeded vault (indexed lookups only)."""
    at_root = StoredFile.objects.filter(vault=vault, folder="/").count()
    last = max(1, math.ceil(at_root / PAGE_SIZE))
    files = list(
        StoredFile.objects.filter(vault=vault, pk__gte=_random_id(vault, rng))
        .order_by("pk")
        .values_list("pk", "name")[:SAMPLE_FILES]
    )
    months = [month_folder(now - timedelta(days=30 * m)) for m in range(0, 12, 2)]
    day = now.date()
    return [
        Page(
            "vault",
            "vault root, pages 1, middle, last",
            [Variant(ROOT_PATH, {"page": str(p)}) for p in (1, max(1, last // 2), last)],
        ),
        Page("vault", "vault month folder", [Variant(ROOT_PATH, {"dossier": m}) for m in months]),
        Page(
            "vault",
            "vault search by name",
            [Variant(f"{ROOT_PATH}recherche/", {"texte": name[5:18]}) for _pk, name in files[:10]]
            + [Variant(f"{ROOT_PATH}recherche/", {"texte": "ZZ-INTROUVABLE"})],
        ),
        Page(
            "vault",
            "vault search kind + month",
            [
                Variant(
                    f"{ROOT_PATH}recherche/",
                    {
                        "nature": kind,
                        "du": (day - timedelta(days=30 * (m + 1))).isoformat(),
                        "au": (day - timedelta(days=30 * m)).isoformat(),
                    },
                )
                for m in range(4)
                for kind in ("act", "data_message")
            ],
        ),
        Page(
            "vault",
            "vault file /coffre-fort/fichiers/<id>/",
            [Variant(f"{ROOT_PATH}fichiers/{pk}/") for pk, _name in files],
        ),
        Page("vault", "vault journal", [Variant(f"{ROOT_PATH}journal/")]),
        Page("vault", "vault account", [Variant(f"{ROOT_PATH}compte/")]),
    ]


def bailiff_plan(vault: Vault) -> list[Page]:
    """The bailiff's own vault: the root (his archives' folders, paged) and some folders."""
    folders = Folder.objects.filter(vault=vault, parent="/").count()
    pages = max(1, math.ceil(folders / 50))
    inside = list(
        Folder.objects.filter(vault=vault, parent="/")
        .order_by("path")
        .values_list("path", flat=True)[:10]
    )
    return [
        Page(
            "vault",
            "bailiff vault root, pages 1 and last",
            [Variant(ROOT_PATH), Variant(ROOT_PATH, {"dpage": str(pages)})],
        ),
        Page(
            "vault",
            "bailiff vault signification folder",
            [Variant(ROOT_PATH, {"dossier": path}) for path in inside] or [Variant(ROOT_PATH)],
        ),
    ]


def _random_id(vault: Vault, rng: random.Random) -> int:
    ids = StoredFile.objects.filter(vault=vault).order_by("pk").values_list("pk", flat=True)
    first, last = ids.first() or 0, ids.last() or 0
    return rng.randint(first, max(first, last - SAMPLE_FILES))


def ready(vault: Vault) -> dict[str, Any]:
    """Folder rows for the bulk-loaded files, then statistics; what the vault holds."""
    sync_folders(vault)
    analyze()
    return {
        "files": StoredFile.objects.filter(vault=vault).count(),
        "folders": Folder.objects.filter(vault=vault).count(),
    }
