"""The production blob store: an S3-compatible object store (django-storages' ``S3Storage``
for the connection and its settings, boto3 for Object Lock), chosen by
``SECURACT_VAULT_STORAGE=s3`` (README, "Vault storage").

- The bucket is created when missing, with Object Lock enabled (hence versioning); an
  existing bucket without Object Lock is a configuration error: evidence could not be locked.
- Blobs keep their content-addressed names (``objects/ab/<sha256>``); content already there
  is not sent again.
- Evidence gets a retention in COMPLIANCE mode until its retention end. A blob shared by
  several files keeps the latest end: the lock is read back with HeadObject (the
  ``x-amz-object-lock-*`` headers — some servers, moto among them, answer 500 to
  GetObjectRetention) and is only ever extended.
- Securact refuses itself to delete an object whose lock (on any of its versions) is running
  or held, whatever the server would accept (some servers accept a shortened COMPLIANCE
  retention).
- Reads stream: one ranged GET from the current position, read in chunks, resumed from where
  it stopped if the connection breaks; never the whole object in memory or on disk.
"""

from __future__ import annotations

import io
import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from securact.vault.blobs import CHUNK, BlobLocked, LockInfo, blob_name
from securact.vault.s3_reader import S3BlobReader, StorageError

logger = logging.getLogger(__name__)

COMPLIANCE = "COMPLIANCE"
US_EAST_1 = "us-east-1"

_stores: dict[tuple[str, ...], Any] = {}
_ready: set[tuple[str, str]] = set()
_guard = threading.Lock()


# --- connection ---------------------------------------------------------------------------


def _config() -> tuple[str, ...]:
    return (
        settings.SECURACT_S3_ENDPOINT_URL,
        settings.SECURACT_S3_BUCKET,
        settings.SECURACT_S3_ACCESS_KEY,
        settings.SECURACT_S3_SECRET_KEY,
        settings.SECURACT_S3_REGION,
        settings.SECURACT_S3_ADDRESSING_STYLE,
    )


def s3_storage() -> Any:
    """The django-storages ``S3Storage`` for the configured bucket (one per configuration and
    process; its boto3 connection is per thread). The bucket is made ready on first use."""
    key = _config()
    endpoint, bucket, access_key, secret_key, region, style = key
    if not bucket:
        raise ImproperlyConfigured("SECURACT_VAULT_STORAGE=s3 needs SECURACT_S3_BUCKET")
    with _guard:
        storage = _stores.get(key)
        if storage is None:
            storage = S3Storage(
                bucket_name=bucket,
                endpoint_url=endpoint or None,
                access_key=access_key or None,  # None: boto3's usual chain (instance role…)
                secret_key=secret_key or None,
                region_name=region or None,
                file_overwrite=False,
                querystring_auth=False,
                default_acl=None,
                client_config=Config(
                    s3={"addressing_style": style or "auto"},
                    signature_version="s3v4",
                    retries={"max_attempts": 4, "mode": "standard"},
                    connect_timeout=10,
                    read_timeout=60,
                ),
            )
            _stores[key] = storage
    if (endpoint, bucket) not in _ready:
        _ensure_bucket(_client(storage), bucket, region)
        with _guard:
            _ready.add((endpoint, bucket))
    return storage


def _client(storage: Any | None = None) -> Any:
    return (storage or s3_storage()).connection.meta.client


def _bucket() -> str:
    return str(settings.SECURACT_S3_BUCKET)


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _ensure_bucket(client: Any, bucket: str, region: str) -> None:
    """Create the bucket with Object Lock if it is missing; refuse one without Object Lock."""
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        if _status(error) != 404:
            raise
        options: dict[str, Any] = {"Bucket": bucket, "ObjectLockEnabledForBucket": True}
        if region and region != US_EAST_1:
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            client.create_bucket(**options)
            logger.info("vault: bucket %s created with Object Lock", bucket)
        except ClientError as create_error:  # another process created it first
            if _code(create_error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise
    try:
        answer = client.get_object_lock_configuration(Bucket=bucket)
        enabled = answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
    except ClientError as error:
        if _code(error) != "ObjectLockConfigurationNotFoundError":
            raise
        enabled = None
    if enabled != "Enabled":
        raise ImproperlyConfigured(
            f"bucket {bucket} has no Object Lock: evidence could not be kept locked there "
            "(create the bucket with Object Lock, or let Securact create it)"
        )


# --- locks -------------------------------------------------------------------------------


def whole_second(moment: datetime) -> datetime:
    """``moment`` in UTC rounded up to the second: S3 dates carry seconds, and rounding up
    never shortens a retention."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


def _head(key: str, version_id: str | None = None) -> dict[str, str] | None:
    """The object's HTTP headers (lower-case names), or None when there is none (or its
    latest version is a delete marker)."""
    options: dict[str, str] = {"Bucket": _bucket(), "Key": key}
    if version_id:
        options["VersionId"] = version_id
    try:
        answer = _client().head_object(**options)
    except ClientError as error:
        if _status(error) == 404:
            return None
        raise
    headers = dict(answer["ResponseMetadata"]["HTTPHeaders"])
    if answer.get("VersionId"):
        headers["x-amz-version-id"] = str(answer["VersionId"])
    return headers


def lock_from_headers(headers: dict[str, str]) -> LockInfo:
    until = headers.get("x-amz-object-lock-retain-until-date")
    return LockInfo(
        mode=headers.get("x-amz-object-lock-mode") or None,
        retain_until=datetime.fromisoformat(until) if until else None,
        legal_hold=headers.get("x-amz-object-lock-legal-hold", "").upper() == "ON",
        version_id=headers.get("x-amz-version-id") or None,
    )


def lock_info(sha256: str) -> LockInfo:
    """The lock of the blob's current version, read back from its headers."""
    headers = _head(blob_name(sha256))
    if headers is None:
        raise FileNotFoundError(blob_name(sha256))
    return lock_from_headers(headers)


def _extend_retention(key: str, headers: dict[str, str], wanted: datetime) -> None:
    """Make the version's COMPLIANCE retention reach ``wanted``; never shorten it."""
    lock = lock_from_headers(headers)
    for _attempt in range(3):
        if lock.mode == COMPLIANCE and lock.retain_until and lock.retain_until >= wanted:
            return
        until = max(wanted, lock.retain_until) if lock.retain_until else wanted
        options: dict[str, Any] = {"Bucket": _bucket(), "Key": key}
        if lock.version_id:
            options["VersionId"] = lock.version_id
        try:
            _client().put_object_retention(
                **options, Retention={"Mode": COMPLIANCE, "RetainUntilDate": until}
            )
        except ClientError as error:  # e.g. a concurrent writer extended it further first
            logger.warning("vault: retention of %s not set (%s); reading it again", key, error)
        again = _head(key, lock.version_id)
        if again is None:
            break
        lock = lock_from_headers(again)
    raise StorageError(f"the object store did not keep the retention of {key} until {wanted}")


def set_legal_hold(sha256: str, on: bool) -> None:
    """Set or lift the legal hold on every version of the blob."""
    key = blob_name(sha256)
    versions, _markers = _versions(key)
    if not versions:
        raise FileNotFoundError(key)
    for version_id in versions:
        _client().put_object_legal_hold(
            Bucket=_bucket(),
            Key=key,
            VersionId=version_id,
            LegalHold={"Status": "ON" if on else "OFF"},
        )


# --- content -----------------------------------------------------------------------------


def put(path: Path, sha256: str, size: int, retain_until: datetime | None) -> None:
    """Store the file under its hash unless that content is there; lock it until
    ``retain_until`` (extending, never shortening, the lock it already has)."""
    storage = s3_storage()
    key = blob_name(sha256)
    wanted = whole_second(retain_until) if retain_until is not None else None
    headers = _head(key)
    if headers is None:
        extra: dict[str, Any] = {"ContentType": "application/octet-stream"}
        if wanted is not None:
            # Honoured by most servers for single and multipart uploads; checked below anyway.
            extra |= {"ObjectLockMode": COMPLIANCE, "ObjectLockRetainUntilDate": wanted}
        client = _client(storage)
        if size <= storage.transfer_config.multipart_threshold:  # one request
            with path.open("rb") as body:
                client.put_object(Bucket=_bucket(), Key=key, Body=body, **extra)
        else:  # multipart, parts read from the file (bounded memory)
            client.upload_file(
                str(path), _bucket(), key, ExtraArgs=extra, Config=storage.transfer_config
            )
        headers = _head(key)
        if headers is None or int(headers.get("content-length", -1)) != size:
            raise StorageError(f"{key} was not stored whole by the object store")
    if wanted is not None:
        _extend_retention(key, headers, wanted)


def lock(sha256: str, retain_until: datetime) -> None:
    """Lock content already stored until ``retain_until`` (extending, never shortening)."""
    key = blob_name(sha256)
    headers = _head(key)
    if headers is None:
        raise StorageError(f"{key} is not in the object store")
    _extend_retention(key, headers, whole_second(retain_until))


def exists(sha256: str) -> bool:
    return _head(blob_name(sha256)) is not None


def _versions(key: str) -> tuple[list[str], list[str]]:
    """Version ids of the object's versions and of its delete markers."""
    versions: list[str] = []
    markers: list[str] = []
    paginator = _client().get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=_bucket(), Prefix=key):
        versions += [v["VersionId"] for v in page.get("Versions", []) if v["Key"] == key]
        markers += [m["VersionId"] for m in page.get("DeleteMarkers", []) if m["Key"] == key]
    return versions, markers


def delete(sha256: str) -> None:
    """Remove every version of the blob, unless any of them is still locked or held: then
    :class:`BlobLocked`, and nothing is removed."""
    key = blob_name(sha256)
    versions, markers = _versions(key)
    now = timezone.now()
    for version_id in versions:
        headers = _head(key, version_id)
        if headers is None:
            continue
        lock = lock_from_headers(headers)
        if lock.legal_hold:
            raise BlobLocked(
                _(
                    "Ce contenu est sous gel juridique dans le stockage des coffres-forts : "
                    "il ne peut pas être supprimé."
                )
            )
        if lock.protects(now) and lock.retain_until is not None:
            raise BlobLocked(
                _(
                    "Ce contenu est verrouillé dans le stockage des coffres-forts jusqu'au "
                    "%(date)s : il ne peut pas être supprimé avant cette date."
                )
                % {"date": timezone.localtime(lock.retain_until).strftime("%d/%m/%Y")}
            )
    for version_id in [*versions, *markers]:
        _client().delete_object(Bucket=_bucket(), Key=key, VersionId=version_id)


def open_blob(sha256: str) -> File[bytes]:
    """The blob's current version as a streaming file; FileNotFoundError if it has none."""
    storage = s3_storage()
    key = blob_name(sha256)
    headers = _head(key)
    if headers is None:
        raise FileNotFoundError(key)
    size = int(headers["content-length"])
    raw = S3BlobReader(_client(storage), _bucket(), key, headers.get("x-amz-version-id"), size)
    handle: File[bytes] = File(io.BufferedReader(raw, CHUNK), name=key)
    handle.size = size
    return handle
