"""The work store on the object store (``SECURACT_WORK_STORAGE=s3``, or the vault on S3): the
vault's own connection and settings (``vault.s3``), the bucket ``SECURACT_WORK_S3_BUCKET``
(empty: the vault's bucket) under the prefix ``SECURACT_WORK_S3_PREFIX`` (``work/``).

Work objects are written without any Object Lock retention or legal hold (the vault's
bucket has Object Lock but no default retention: only evidence gets one, object by
object), carry their SHA-256 as metadata, and are deleted version by version (a bucket
with Object Lock is versioned: a plain delete would only hide them).
"""

from __future__ import annotations

import io
import threading
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from botocore.exceptions import ClientError
from django.conf import settings

from securact.vault.s3 import s3_storage
from securact.vault.s3_reader import S3BlobReader

SHA256_META = "sha256"
_ready: set[tuple[str, str]] = set()
_guard = threading.Lock()


def _missing(error: ClientError) -> bool:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    code = str(error.response.get("Error", {}).get("Code", ""))
    return int(status) == 404 or code in {"404", "NoSuchKey", "NotFound"}


def _ensure_bucket(client: Any, bucket: str) -> None:
    """A work bucket of its own (not the vault's) is created when missing: no lock needed."""
    key = (str(client.meta.endpoint_url), bucket)
    if key in _ready:
        return
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        if not _missing(error):
            raise
        options: dict[str, Any] = {"Bucket": bucket}
        region = settings.SECURACT_S3_REGION
        if region and region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            client.create_bucket(**options)
        except ClientError as create_error:
            code = create_error.response.get("Error", {}).get("Code", "")
            if code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise
    with _guard:
        _ready.add(key)


class S3Backend:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket = client, bucket
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"

    @classmethod
    def configured(cls) -> S3Backend:
        client = s3_storage().connection.meta.client  # the vault's bucket is made ready too
        bucket = settings.SECURACT_WORK_S3_BUCKET or settings.SECURACT_S3_BUCKET
        if bucket != settings.SECURACT_S3_BUCKET:
            _ensure_bucket(client, bucket)
        return cls(client, bucket, settings.SECURACT_WORK_S3_PREFIX)

    def _name(self, key: str) -> str:
        return self.prefix + key

    def output_path(self, key: str) -> Path | None:
        return None  # written in the step's scratch folder, then put

    def put(self, key: str, source: Path, sha256: str, *, move: bool) -> None:
        # upload_file: a multipart upload past its threshold, each part with its checksum
        # (a bucket with Object Lock requires one).
        self.client.upload_file(
            str(source),
            self.bucket,
            self._name(key),
            ExtraArgs={"Metadata": {SHA256_META: sha256}},
        )
        if move:
            source.unlink(missing_ok=True)

    def in_place(self, key: str) -> Path | None:
        # A row written before the work store, by the embedded mode: that file, if here.
        path = Path(key)
        return path if key.startswith("/") and path.is_file() else None

    def fetch(self, key: str, target: Path) -> bool:
        if key.startswith("/"):
            return False
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            self.client.download_file(self.bucket, self._name(key), str(partial))
        except ClientError as error:
            partial.unlink(missing_ok=True)
            if _missing(error):
                return False
            raise
        partial.chmod(0o600)
        partial.replace(target)
        return True

    def _head(self, key: str) -> dict[str, Any] | None:
        if key.startswith("/"):
            return None
        try:
            answer: dict[str, Any] = self.client.head_object(
                Bucket=self.bucket, Key=self._name(key)
            )
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return answer

    def open_stream(self, key: str) -> BinaryIO | None:
        answer = self._head(key)
        if answer is None:
            return None
        size = int(answer["ContentLength"])
        raw = S3BlobReader(self.client, self.bucket, self._name(key), answer.get("VersionId"), size)
        return io.BufferedReader(raw, 1024 * 1024)

    def exists(self, key: str) -> bool:
        return self._head(key) is not None or self.in_place(key) is not None

    def sha256(self, key: str) -> str | None:
        answer = self._head(key)
        if answer is None:
            return None
        value = answer.get("Metadata", {}).get(SHA256_META)
        return str(value) if value else None

    def delete(self, key: str) -> None:
        if not key.startswith("/"):
            self._delete_versions(self._name(key), exact=True)

    def delete_prefix(self, prefix: str) -> None:
        self._delete_versions(self._name(prefix), exact=False)

    def _delete_versions(self, name: str, *, exact: bool) -> None:
        """Every version and delete marker under ``name`` (or of ``name`` alone)."""
        pages = self.client.get_paginator("list_object_versions").paginate(
            Bucket=self.bucket, Prefix=name
        )
        for page in pages:
            doomed = [
                {"Key": item["Key"], "VersionId": item["VersionId"]}
                for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                if not exact or item["Key"] == name
            ]
            for start in range(0, len(doomed), 1000):
                self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": doomed[start : start + 1000], "Quiet": True},
                )
