"""File names the manual prescribes (F4.3, F4.6), from the time of service in Paris."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y%m%d_%H%M%S")


def deposited_name(practice_code: str, reference: str, sent_at: datetime, position: int) -> str:
    """``{practice}_{reference}_{YYYYMMDD}_{HHMMSS}.pdf``; the 2nd act of one signification
    gets ``_2`` before the extension, and so on."""
    suffix = "" if position == 1 else f"_{position}"
    return f"{practice_code}_{reference}_{_stamp(sent_at)}{suffix}.pdf"


def recipient_token(name: str) -> str:
    """BANQUE TEST → BANQUE_TEST (the manual's archive names): ASCII, upper case."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "_", ascii_name.upper()).strip("_") or "DESTINATAIRE"


def archive_name(recipient_name: str, reference: str, archived_at: datetime) -> str:
    """``{RECIPIENT}__{reference}_{YYYYMMDD}_{HHMMSS}.zip``."""
    return f"{recipient_token(recipient_name)}__{reference}_{_stamp(archived_at)}.zip"
