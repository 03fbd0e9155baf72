"""The work store (issue 11, item 7) on both backends: a key put is read back whole on this
machine, its SHA-256 known without reading it, a copy checked against the recorded SHA-256;
a signification's keys removed together. On S3: under ``work/``, without any retention, and
every version gone after a removal (the vault's bucket is versioned)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from securact.significations import work_store

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local", "s3"])
def store(request: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    settings.SECURACT_WORK_DIR = tmp_path / "work"
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_vault")
        settings.SECURACT_WORK_STORAGE = "s3"
        with work_store.step_scope():
            yield s3
    else:
        settings.SECURACT_WORK_STORAGE = "local"
        with work_store.step_scope():
            yield None


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "source.bin"
    path.write_bytes(data)
    return path


def test_a_key_put_is_read_back_with_its_hash(store: Any, tmp_path: Path) -> None:
    data = b"%PDF-1.7 acte signe\n" * 1000
    key = work_store.key_for(12, "01.signed.pdf")

    digest = work_store.put(key, _file(tmp_path, data))

    assert digest == hashlib.sha256(data).hexdigest()
    assert work_store.exists(key) and work_store.sha256(key) == digest
    assert work_store.holds(key, digest) and not work_store.holds(key, "0" * 64)
    assert work_store.local_copy(key, digest).read_bytes() == data
    assert not work_store.exists(work_store.key_for(12, "02.signed.pdf"))
    with pytest.raises(work_store.MissingWorkFile):
        work_store.local_copy(work_store.key_for(12, "02.signed.pdf"))


def test_a_significations_keys_go_together(store: Any, tmp_path: Path) -> None:
    kept = work_store.key_for(3, "01.pdfa.pdf")
    work_store.put_bytes(kept, b"other")
    for name in ("01.pdfa.pdf", "01.signed.pdf", "remise/abc_attestation.pdf"):
        work_store.put_bytes(work_store.key_for(13, name), name.encode())

    work_store.delete_prefix(work_store.signification_prefix(13))

    assert not work_store.exists(work_store.key_for(13, "01.signed.pdf"))
    assert not work_store.exists(work_store.key_for(13, "remise/abc_attestation.pdf"))
    assert work_store.exists(kept)  # "3/" is not under "13/", nor the reverse


def test_keys_outside_the_store_are_refused(store: Any) -> None:
    for key in ("../etc/passwd", "12/../../x", "", ".scratch/x", "12/.hidden"):
        with pytest.raises(ValueError):
            work_store.check_key(key)


def test_a_file_changed_in_the_store_is_not_used(store: Any, tmp_path: Path) -> None:
    key = work_store.key_for(14, "01.pdfa.pdf")
    digest = work_store.put_bytes(key, b"the converted act")
    work_store.put_bytes(key, b"the converted act, altered")

    with work_store.step_scope(), pytest.raises(work_store.MissingWorkFile):
        work_store.local_copy(key, digest)
    assert not work_store.holds(key, digest)


def test_the_local_store_reads_rows_written_before_it(settings: Any, tmp_path: Path) -> None:
    settings.SECURACT_WORK_DIR, settings.SECURACT_WORK_STORAGE = tmp_path / "work", "local"
    legacy = tmp_path / "uploads" / "abc" / "old.upload"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"an act uploaded before the work store")

    assert work_store.local_copy(str(legacy)) == legacy
    assert work_store.sha256(str(legacy)) == hashlib.sha256(legacy.read_bytes()).hexdigest()


def test_on_s3_work_objects_carry_no_lock_and_leave_no_version(
    settings: Any, tmp_path: Path, s3_vault: Any
) -> None:
    settings.SECURACT_WORK_DIR, settings.SECURACT_WORK_STORAGE = tmp_path / "work", "s3"
    key = work_store.key_for(15, "01.signed.pdf")
    work_store.put_bytes(key, b"first")
    work_store.put_bytes(key, b"second")  # a rerun: a second version

    head = s3_vault.client.head_object(Bucket=s3_vault.bucket, Key=f"work/{key}")
    headers = head["ResponseMetadata"]["HTTPHeaders"]
    assert not any(name.startswith("x-amz-object-lock") for name in headers), headers
    assert head["Metadata"]["sha256"] == hashlib.sha256(b"second").hexdigest()

    work_store.delete_prefix(work_store.signification_prefix(15))

    left = s3_vault.client.list_object_versions(Bucket=s3_vault.bucket, Prefix="work/")
    assert not left.get("Versions") and not left.get("DeleteMarkers"), left
    # The step's scratch folder is this process's only, and goes with the step.
    scratch = Path(settings.SECURACT_WORK_DIR) / work_store.SCRATCH
    with work_store.step_scope():
        work_store.put_bytes(work_store.key_for(16, "x.pdf"), b"x")
        assert any(scratch.rglob("x.pdf"))
    assert not any(scratch.rglob("x.pdf"))
