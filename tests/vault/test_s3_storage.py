"""The S3 backend against a real S3-protocol server (moto's): Object Lock read back from the
object's headers, extended and never shortened, legal holds, early deletes refused by
Securact itself even where the server would let them through, streaming reads."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import FileResponse
from django.utils import timezone

from securact.directory.models import Bailiff
from securact.vault.models import StoredFile, Vault
from securact.vault.retention import RetentionNotOver
from securact.vault.s3 import whole_second
from securact.vault.services import deposit_file
from securact.vault.storage import (
    BlobLocked,
    blob_exists,
    blob_intact,
    delete_blob,
    lock_info,
    open_blob,
    put_blob,
    set_legal_hold,
)
from tests.factories import BailiffFactory
from tests.s3_fixtures import S3Vault

RETAIN = "x-amz-object-lock-retain-until-date"
MODE = "x-amz-object-lock-mode"
HOLD = "x-amz-object-lock-legal-hold"


@pytest.fixture
def vault(s3_vault: S3Vault) -> Vault:
    bailiff: Bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint="b" * 64,
        certificate_serial="1",
        certificate_holder=bailiff.full_name,
        certificate_issuer="AC",
        certificate_not_after=timezone.now(),
        certificate_der=b"x",
    )


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _deposit(vault: Vault, source: Path, name: str, kind: str, **extra) -> StoredFile:
    return deposit_file(
        vault,
        name,
        source,
        depositor="f" * 64,
        deposited_at=extra.pop("deposited_at", timezone.now()),
        kind=kind,
        **extra,
    )


@pytest.mark.django_db
def test_securact_creates_its_bucket_with_object_lock(vault, s3_vault, tmp_path):
    _deposit(vault, _file(tmp_path, "a", b"x"), "a.txt", StoredFile.Kind.OTHER)
    lock = s3_vault.client.get_object_lock_configuration(Bucket=s3_vault.bucket)
    assert lock["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    versioning = s3_vault.client.get_bucket_versioning(Bucket=s3_vault.bucket)
    assert versioning["Status"] == "Enabled"


@pytest.mark.django_db
def test_a_bucket_without_object_lock_is_refused(s3_vault, tmp_path):
    s3_vault.client.create_bucket(
        Bucket=s3_vault.bucket,
        CreateBucketConfiguration={"LocationConstraint": "eu-west-3"},
    )
    with pytest.raises(ImproperlyConfigured, match="no Object Lock"):
        put_blob(_file(tmp_path, "a", b"x"))


@pytest.mark.django_db
def test_evidence_is_locked_in_compliance_mode_until_its_retention_end(vault, s3_vault, tmp_path):
    stored = _deposit(vault, _file(tmp_path, "a", b"%PDF act"), "act.pdf", StoredFile.Kind.ACT)
    assert stored.retain_until is not None
    headers = s3_vault.headers(stored.sha256)  # what the server itself says
    assert headers[MODE] == "COMPLIANCE"
    expected = whole_second(stored.retain_until)
    assert headers[RETAIN] == expected.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert timedelta(0) <= expected - stored.retain_until < timedelta(seconds=1)
    lock = lock_info(stored.sha256)
    assert lock is not None
    assert (lock.mode, lock.retain_until, lock.legal_hold) == ("COMPLIANCE", expected, False)


@pytest.mark.django_db
def test_a_multipart_upload_of_evidence_is_locked_too(vault, s3_vault, tmp_path):
    # moto drops the lock of a multipart upload: Securact puts it back and reads it again
    source = _file(tmp_path, "big", os.urandom(9 * 1024 * 1024))
    stored = _deposit(vault, source, "archive.zip", StoredFile.Kind.ARCHIVE)
    assert stored.retain_until is not None
    headers = s3_vault.headers(stored.sha256)
    assert headers[MODE] == "COMPLIANCE"
    lock = lock_info(stored.sha256)
    assert lock is not None and lock.retain_until == whole_second(stored.retain_until)
    assert blob_intact(stored.sha256)


@pytest.mark.django_db
def test_an_own_file_carries_no_lock(vault, s3_vault, tmp_path):
    stored = _deposit(vault, _file(tmp_path, "a", b"notes"), "notes.txt", StoredFile.Kind.OTHER)
    assert stored.retain_until is None
    assert MODE not in s3_vault.headers(stored.sha256)
    lock = lock_info(stored.sha256)
    assert lock is not None and lock.mode is None and lock.retain_until is None


@pytest.mark.django_db
def test_shared_content_keeps_the_latest_retention_never_a_shorter_one(vault, s3_vault, tmp_path):
    source = _file(tmp_path, "a", b"the same signed act")
    first = _deposit(vault, source, "act.pdf", StoredFile.Kind.ACT)
    assert first.retain_until is not None
    first_end = whole_second(first.retain_until)

    # The same content as an act return (5 years): the 25-year lock stays.
    returned = _deposit(vault, source, "return.pdf", StoredFile.Kind.ACT_RETURN)
    assert returned.retain_until is not None and returned.retain_until < first.retain_until
    lock = lock_info(first.sha256)
    assert lock is not None and lock.retain_until == first_end

    # Deposited again a year later in another folder: the lock goes to the later end.
    later = _deposit(
        vault,
        source,
        "act.pdf",
        StoredFile.Kind.ACT,
        folder="/2027/",
        deposited_at=timezone.now() + timedelta(days=365),
    )
    assert later.retain_until is not None
    lock = lock_info(first.sha256)
    assert lock is not None and lock.retain_until == whole_second(later.retain_until)
    assert s3_vault.headers(first.sha256)[MODE] == "COMPLIANCE"
    assert len(s3_vault.versions(first.sha256)) == 1  # stored once

    # Asking for an earlier end directly changes nothing either.
    put_blob(source, retain_until=timezone.now() + timedelta(days=1))
    lock = lock_info(first.sha256)
    assert lock is not None and lock.retain_until == whole_second(later.retain_until)


@pytest.mark.django_db
def test_an_early_delete_is_refused_by_securact_even_where_the_server_would_allow_it(
    vault, s3_vault, tmp_path
):
    stored = _deposit(vault, _file(tmp_path, "a", b"%PDF act"), "act.pdf", StoredFile.Kind.ACT)
    # Someone with the bucket's keys shortens the COMPLIANCE retention into the past: moto
    # accepts it (a real S3 refuses), and would then delete the object.
    s3_vault.set_retention(stored.sha256, timezone.now() - timedelta(days=1))
    lock = lock_info(stored.sha256)
    assert lock is not None and lock.retain_until is not None
    assert lock.retain_until < timezone.now()

    with pytest.raises(RetentionNotOver) as refused:
        delete_blob(stored.sha256)
    assert "conservée jusqu'au" in refused.value.message
    assert blob_intact(stored.sha256)
    assert len(s3_vault.versions(stored.sha256)) == 1


@pytest.mark.django_db
def test_the_objects_own_lock_refuses_a_delete_the_database_would_allow(vault, s3_vault, tmp_path):
    stored = _deposit(vault, _file(tmp_path, "a", b"%PDF act"), "act.pdf", StoredFile.Kind.ACT)
    # Even with no file left referring to it (a bug upstream), a locked object stays.
    StoredFile.objects.filter(pk=stored.pk).delete()
    with pytest.raises(BlobLocked) as refused:
        delete_blob(stored.sha256)
    assert "verrouillé dans le stockage" in refused.value.message
    assert blob_intact(stored.sha256)


@pytest.mark.django_db
def test_content_past_its_retention_is_deleted_with_every_version(vault, s3_vault, tmp_path):
    stored = _deposit(vault, _file(tmp_path, "a", b"%PDF act"), "act.pdf", StoredFile.Kind.ACT)
    s3_vault.overwrite(stored.sha256, b"tampered")  # a second version
    past = timezone.now() - timedelta(seconds=1)
    StoredFile.objects.filter(pk=stored.pk).update(retain_until=past)
    for version in s3_vault.versions(stored.sha256):
        s3_vault.client.put_object_retention(
            Bucket=s3_vault.bucket,
            Key=version["Key"],
            VersionId=version["VersionId"],
            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": past},
        )
    delete_blob(stored.sha256)
    assert not blob_exists(stored.sha256)
    assert s3_vault.versions(stored.sha256) == []


@pytest.mark.django_db
def test_a_legal_hold_is_set_read_back_and_blocks_deletion(vault, s3_vault, tmp_path):
    source = _file(tmp_path, "a", b"disputed act")
    stored = _deposit(vault, source, "act.pdf", StoredFile.Kind.ACT)
    StoredFile.objects.filter(pk=stored.pk).update(legal_hold=True, legal_hold_reason="litige")
    assert set_legal_hold(stored.sha256, True) is True
    assert s3_vault.headers(stored.sha256)[HOLD] == "ON"
    lock = lock_info(stored.sha256)
    assert lock is not None and lock.legal_hold

    # Retention over everywhere, the database's hold lifted: the object's hold still refuses.
    s3_vault.set_retention(stored.sha256, timezone.now() - timedelta(days=1))
    StoredFile.objects.filter(pk=stored.pk).update(
        legal_hold=False, retain_until=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(BlobLocked) as refused:
        delete_blob(stored.sha256)
    assert "gel juridique" in refused.value.message
    assert blob_intact(stored.sha256)

    assert set_legal_hold(stored.sha256, False) is False
    assert s3_vault.headers(stored.sha256)[HOLD] == "OFF"
    lock = lock_info(stored.sha256)
    assert lock is not None and not lock.legal_hold


@pytest.mark.django_db
def test_a_hold_stays_while_another_file_sharing_the_content_is_held(vault, s3_vault, tmp_path):
    source = _file(tmp_path, "a", b"shared content")
    one = _deposit(vault, source, "one.pdf", StoredFile.Kind.OTHER)
    two = _deposit(vault, source, "two.pdf", StoredFile.Kind.OTHER)
    StoredFile.objects.filter(pk__in=[one.pk, two.pk]).update(legal_hold=True)
    set_legal_hold(one.sha256, True)
    StoredFile.objects.filter(pk=one.pk).update(legal_hold=False)
    assert set_legal_hold(one.sha256, False) is True  # "two" is still held
    assert s3_vault.headers(one.sha256)[HOLD] == "ON"


@pytest.mark.django_db
def test_reads_stream_with_seeks_and_a_known_size(vault, s3_vault, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    stored = _deposit(vault, _file(tmp_path, "a", data), "scan.pdf", StoredFile.Kind.OTHER)
    with open_blob(stored.sha256) as handle:
        assert handle.size == len(data)
        assert handle.read(10) == data[:10]
        handle.seek(2 * 1024 * 1024)
        assert handle.tell() == 2 * 1024 * 1024
        assert handle.read(100) == data[2 * 1024 * 1024 : 2 * 1024 * 1024 + 100]
        handle.seek(-7, os.SEEK_END)
        assert handle.read() == data[-7:]
        handle.seek(0)
        assert handle.read() == data
    with open_blob(stored.sha256) as handle:
        response = FileResponse(handle, as_attachment=True, filename="scan.pdf")
        assert response["Content-Length"] == str(len(data))
        assert b"".join(response.streaming_content) == data  # type: ignore[arg-type]


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


GIB = 1024**3
MIB = 1024**2


@pytest.mark.slow
@pytest.mark.django_db
def test_a_1_gb_file_downloads_with_the_process_growing_by_less_than_50_mb(s3_vault, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("storage only (~30 s, moto takes ~50 MB/s): run once, in the SQLite pass")
    source = tmp_path / "big.bin"
    block = os.urandom(MIB)
    digest = hashlib.sha256()
    with source.open("wb") as out:
        for index in range(GIB // MIB):
            chunk = index.to_bytes(8, "big") + block[8:]
            out.write(chunk)
            digest.update(chunk)
    sha256, size = put_blob(source)
    assert (sha256, size) == (digest.hexdigest(), GIB)
    source.unlink()

    # The download as the web process serves it: Django's FileResponse over open_blob.
    # (response.close() would also end the request: the test's database connection with it)
    handle = open_blob(sha256)
    response = FileResponse(handle, as_attachment=True, filename="big.bin")
    assert response["Content-Length"] == str(GIB)
    baseline = peak = _rss()
    received = hashlib.sha256()
    count = 0
    for count, chunk in enumerate(response.streaming_content, start=1):
        received.update(chunk)  # type: ignore[arg-type]
        if count % 32 == 0:
            peak = max(peak, _rss())
    peak = max(peak, _rss())
    handle.close()
    assert received.hexdigest() == sha256
    assert count >= GIB // FileResponse.block_size
    growth = (peak - baseline) / MIB
    print(f"1 GiB streamed in {count} chunks; RSS grew by {growth:.1f} MiB")  # pytest -s
    assert peak - baseline < 50 * MIB, f"RSS grew by {growth:.1f} MiB"

    delete_blob(sha256)  # not evidence: gone, and the S3 server's memory with it
    assert not blob_exists(sha256)
