"""The archive ZIP of a signification (F4.6): the signed acts, their .p7s, the deposit
certificate, and ``manifest.sha256`` listing every entry's SHA-256 in the format
``sha256sum -c`` reads. Built deterministically (fixed order and timestamps) so that a
rebuild after a crash gives the very same bytes."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from securact.vault.storage import file_sha256

MANIFEST = "manifest.sha256"
_CHUNK = 1024 * 1024


def _entry(name: str, moment: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(
        name, date_time=moment.astimezone(ZoneInfo("Europe/Paris")).timetuple()[:6]
    )
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_archive(target: Path, entries: list[tuple[str, Path]], moment: datetime) -> None:
    """Write the ZIP atomically: into a temporary file, renamed at the end."""
    partial = target.with_name(target.name + ".partial")
    lines = []
    with zipfile.ZipFile(partial, "w") as archive:
        for name, source in entries:
            with source.open("rb") as reader, archive.open(_entry(name, moment), "w") as writer:
                for chunk in iter(lambda: reader.read(_CHUNK), b""):
                    writer.write(chunk)
            lines.append(f"{file_sha256(source)}  {name}\n")
        archive.writestr(_entry(MANIFEST, moment), "".join(lines))
    partial.replace(target)


def verify_archive(path: Path) -> list[str]:
    """Entries whose content does not match the manifest (empty when intact)."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        listed = {}
        for line in archive.read(MANIFEST).decode().splitlines():
            digest, _sep, name = line.partition("  ")
            listed[name] = digest
        for name in archive.namelist():
            if name == MANIFEST:
                continue
            if hashlib.sha256(archive.read(name)).hexdigest() != listed.pop(name, None):
                problems.append(name)
        problems.extend(listed)
    return problems
