"""A ZIP written as a stream, each member's SHA-256 computed on the way (for a manifest),
with fixed times and permissions: the same members in the same order give the same bytes."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

CHUNK = 1024 * 1024
PARIS = ZoneInfo("Europe/Paris")


class HashingZip:
    """``with HashingZip(out, moment) as archive: archive.add_bytes(...)``; ``digests``
    holds every member's SHA-256 (hex) by name, in the order written."""

    def __init__(self, out: BinaryIO, moment: datetime) -> None:
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self._time = moment.astimezone(PARIS).timetuple()[:6]
        self.digests: dict[str, str] = {}

    def __enter__(self) -> HashingZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def _info(self, name: str) -> zipfile.ZipInfo:
        if name in self.digests:
            raise ValueError(f"member {name!r} written twice")
        info = zipfile.ZipInfo(name, date_time=self._time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add_stream(self, name: str, source: BinaryIO, size: int = 0) -> str:
        """Copy ``source`` in chunks (never whole in memory); its SHA-256. ``size`` (when
        known) lets a member past 2 GiB get its ZIP64 header."""
        digest = hashlib.sha256()
        info = self._info(name)
        info.file_size = size
        with self._zip.open(info, "w") as writer:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
        self.digests[name] = digest.hexdigest()
        return self.digests[name]

    def add_bytes(self, name: str, data: bytes) -> str:
        self._zip.writestr(self._info(name), data)
        self.digests[name] = hashlib.sha256(data).hexdigest()
        return self.digests[name]
