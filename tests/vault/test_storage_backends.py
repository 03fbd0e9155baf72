"""What both blob stores do alike (``vault_backend``: local, then S3), and the storage
settings, read by a fresh process from the environment and from ``_FILE`` variants."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from securact.directory.models import Bailiff
from securact.vault.models import StoredFile, Vault
from securact.vault.retention import RetentionNotOver
from securact.vault.services import deposit_file
from securact.vault.storage import blob_exists, delete_blob, lock_info, set_legal_hold
from tests.factories import BailiffFactory
from tests.s3_fixtures import ACCESS_KEY, REGION, SECRET_KEY, s3_client


@pytest.fixture
def vault(vault_backend) -> Vault:
    bailiff: Bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint="c" * 64,
        certificate_serial="1",
        certificate_holder=bailiff.full_name,
        certificate_issuer="AC",
        certificate_not_after=timezone.now(),
        certificate_der=b"x",
    )


def _deposit(vault: Vault, tmp_path: Path, content: bytes, kind: str) -> StoredFile:
    source = tmp_path / uuid.uuid4().hex
    source.write_bytes(content)
    return deposit_file(
        vault, source.name, source, depositor="f" * 64, deposited_at=timezone.now(), kind=kind
    )


@pytest.mark.django_db
def test_evidence_content_is_not_deleted_before_its_retention_end(vault, vault_backend, tmp_path):
    stored = _deposit(vault, tmp_path, b"%PDF act", StoredFile.Kind.ACT)
    with pytest.raises(RetentionNotOver) as refused:
        delete_blob(stored.sha256)
    assert "ne peut pas être supprimée avant cette date" in refused.value.message
    assert blob_exists(stored.sha256)


@pytest.mark.django_db
def test_held_content_is_not_deleted(vault, vault_backend, tmp_path):
    stored = _deposit(vault, tmp_path, b"my notes", StoredFile.Kind.OTHER)
    StoredFile.objects.filter(pk=stored.pk).update(legal_hold=True, legal_hold_reason="litige")
    assert set_legal_hold(stored.sha256, True) is True
    with pytest.raises(RetentionNotOver) as refused:
        delete_blob(stored.sha256)
    assert "gel juridique (litige)" in refused.value.message
    assert blob_exists(stored.sha256)


@pytest.mark.django_db
def test_an_own_file_s_content_is_deleted(vault, vault_backend, tmp_path):
    stored = _deposit(vault, tmp_path, b"my notes", StoredFile.Kind.OTHER)
    delete_blob(stored.sha256)
    assert not blob_exists(stored.sha256)


@pytest.mark.django_db
def test_evidence_past_its_retention_end_is_deleted(vault, vault_backend, tmp_path):
    stored = _deposit(vault, tmp_path, b"%PDF old act", StoredFile.Kind.ACT)
    past = timezone.now() - timedelta(seconds=1)
    StoredFile.objects.filter(pk=stored.pk).update(retain_until=past)
    if vault_backend.name == "s3":  # the object's lock ends with it
        vault_backend.set_retention(stored.sha256, past)
    delete_blob(stored.sha256)
    assert not blob_exists(stored.sha256)


@pytest.mark.django_db
def test_the_local_directory_has_no_lock_of_its_own(settings, tmp_path, vault):
    settings.SECURACT_VAULT_STORAGE = "local"
    settings.SECURACT_VAULT_DIR = tmp_path / "local-vault"
    stored = _deposit(vault, tmp_path, b"%PDF act", StoredFile.Kind.ACT)
    assert lock_info(stored.sha256) is None
    assert set_legal_hold(stored.sha256, False) is False


SCRIPT = """
import json, sys, tempfile
from pathlib import Path
import django
django.setup()
from django.conf import settings
from securact.vault.storage import open_blob, put_blob
names = ["VAULT_STORAGE", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY",
         "S3_REGION", "S3_ADDRESSING_STYLE"]
source = Path(tempfile.mkdtemp()) / "act.pdf"
source.write_bytes(b"%PDF from a process configured by files")
sha256, size = put_blob(source)
with open_blob(sha256) as handle:
    content = handle.read().decode()
print(json.dumps({**{n: getattr(settings, "SECURACT_" + n) for n in names}, "read": content}))
"""


def _securact_python(tmp_path: Path, env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SECURACT_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "securact.settings",
            "SECURACT_DATA_DIR": str(tmp_path / "data"),
            "SECURACT_SECRET_KEY": "test-only",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_s3_settings_come_from_files_and_work(tmp_path, s3_endpoint):
    bucket = f"securact-files-{uuid.uuid4().hex[:16]}"
    values = {
        "VAULT_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_BUCKET": bucket,
        "S3_ACCESS_KEY": ACCESS_KEY,
        "S3_SECRET_KEY": SECRET_KEY,
        "S3_REGION": REGION,
    }
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    env = {}
    for name, value in values.items():
        (secrets / name).write_text(value + "\n", encoding="utf-8")
        env[f"SECURACT_{name}_FILE"] = str(secrets / name)
    done = _securact_python(tmp_path, env, SCRIPT)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        **values,
        "S3_ADDRESSING_STYLE": "path",
        "read": "%PDF from a process configured by files",
    }
    # The process created the bucket, with Object Lock, and stored the content there.
    client = s3_client(s3_endpoint)
    lock = client.get_object_lock_configuration(Bucket=bucket)
    assert lock["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    assert client.list_objects_v2(Bucket=bucket)["KeyCount"] == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECURACT_VAULT_STORAGE": "ftp"}, "SECURACT_VAULT_STORAGE must be local or s3"),
        ({"SECURACT_VAULT_STORAGE": "s3"}, "SECURACT_VAULT_STORAGE=s3 needs SECURACT_S3_BUCKET"),
    ],
)
def test_a_wrong_storage_configuration_stops_the_start(tmp_path, env, message):
    done = _securact_python(tmp_path, env, "import django; django.setup()")
    assert done.returncode != 0
    assert message in done.stderr


def test_the_local_directory_is_the_default(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SECURACT_VAULT_STORAGE, settings.SECURACT_VAULT_DIR)"
    done = _securact_python(tmp_path, {}, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["local", str(tmp_path / "data" / "vault")]
