"""Streaming reads of one S3 object (a download never holds a whole file in memory)."""

from __future__ import annotations

import io
import logging
from typing import Any, cast

from botocore.exceptions import BotoCoreError

logger = logging.getLogger(__name__)

READ_ATTEMPTS = 3


class StorageError(RuntimeError):
    """The object store did not do what it was asked (an operator's problem, not a user's)."""


class S3BlobReader(io.RawIOBase):
    """A seekable, read-only stream over one version of an object: a ranged GET from the
    current position, read as the caller asks; reopened (from there) after a seek or a
    broken connection."""

    def __init__(self, client: Any, bucket: str, key: str, version_id: str | None, size: int):
        super().__init__()
        self.name = key
        self._client = client
        self._bucket = bucket
        self._key = key
        self._version_id = version_id
        self._size = size
        self._position = 0
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        target = base + offset
        if target < 0:
            raise ValueError("negative seek position")
        if target != self._position:
            self._drop()
            self._position = target
        return target

    def _open(self) -> Any:
        options: dict[str, str] = {
            "Bucket": self._bucket,
            "Key": self._key,
            "Range": f"bytes={self._position}-",
        }
        if self._version_id:
            options["VersionId"] = self._version_id
        return self._client.get_object(**options)["Body"]

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._position)
        if wanted <= 0:
            return 0
        data = self._read(wanted)
        if not data:
            raise StorageError(f"{self._key} ended at {self._position} of {self._size} bytes")
        view[: len(data)] = data
        self._position += len(data)
        return len(data)

    def _read(self, wanted: int) -> bytes:
        for attempt in range(1, READ_ATTEMPTS):
            try:
                if self._body is None:
                    self._body = self._open()
                return cast(bytes, self._body.read(wanted))
            except (BotoCoreError, OSError) as error:
                self._drop()
                logger.warning(
                    "vault: reading %s broke (%s); resuming at %d (attempt %d)",
                    self._key,
                    error,
                    self._position,
                    attempt,
                )
        if self._body is None:
            self._body = self._open()
        return cast(bytes, self._body.read(wanted))

    def close(self) -> None:
        self._drop()
        super().close()
