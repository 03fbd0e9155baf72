"""Seed one bank's vault for the vault page benchmark (issue 11, item 9): ``count`` files as
the service process leaves them in a recipient's vault — acts and data messages at the
root, where deposits land — with a tenth filed by the bank into month folders, and its own
documents. Rows go in by bulk SQL like the page seed; the content is not stored (the pages
read metadata only).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from securact.bench import bulk
from securact.bench.seed_significations import STORED_FILE_FIELDS
from securact.vault.models import Folder, StoredFile, Vault

SEED = 20261205
FILED_SHARE = 0.10  # files the bank moved into its month folders
OWN_SHARE = 0.03  # the bank's own uploads (kind "other")
MONTHS = 24

FILE_FIELDS = (*STORED_FILE_FIELDS, "retain_until")  # the page seed's, and the lock's end


def month_folder(at: datetime) -> str:
    return f"/Classement/{at:%Y-%m}/"


def seed(vault: Vault, count: int, now: datetime) -> dict[str, int]:
    """Insert ``count`` files (and their folders) into ``vault``; returns the row counts."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    files = bulk.insert(StoredFile, FILE_FIELDS, _files(vault, count, now, rng))
    folders = {"/Classement/"} | {
        month_folder(now - timedelta(days=30 * month)) for month in range(MONTHS)
    }
    made = bulk.insert(
        Folder, ("vault", "path", "created_at"), ((vault.pk, p, now) for p in sorted(folders))
    )
    return {"files": files, "folders": made}


def _files(vault: Vault, count: int, now: datetime, rng: random.Random) -> Iterator[Any]:
    depositors = [f"{rng.getrandbits(256):064x}" for _ in range(40)]  # the practices' bailiffs
    span = MONTHS * 30 * 86_400
    for number in range(1, count + 1):
        at = now - timedelta(seconds=rng.randrange(span))
        roll = rng.random()
        if roll < OWN_SHARE:
            yield _row(vault, "/", f"Note interne {number:06d}.pdf", "other", at, rng, None)
            continue
        reference = f"{rng.randrange(1000, 9999)}_REF{number:07d}_{at:%Y%m%d_%H%M%S}"
        kind, name = ("act", f"{reference}.pdf")
        if roll > 0.75:
            kind, name = ("data_message", f"{reference}_message.xml")
        folder = month_folder(at) if rng.random() < FILED_SHARE else "/"
        retain = at.replace(year=at.year + 25)
        yield _row(vault, folder, name, kind, at, rng, rng.choice(depositors), retain)


def _row(
    vault: Vault,
    folder: str,
    name: str,
    kind: str,
    at: datetime,
    rng: random.Random,
    depositor: str | None,
    retain: datetime | None = None,
) -> tuple[Any, ...]:
    return (
        vault.pk,
        folder,
        name,
        kind,
        f"{rng.getrandbits(256):064x}",
        rng.randint(20_000, 4_000_000),
        depositor or (vault.certificate_fingerprint or "platform"),
        at,
        None,
        retain,
    )
