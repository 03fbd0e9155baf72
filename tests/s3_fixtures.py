"""A real S3-protocol server for the vault's object-store tests: moto's standalone server.

`scripts/run-tests.sh` starts one for the whole run and exports
SECURACT_TEST_S3_ENDPOINT_URL; without it (a single test file run alone) the session starts
its own on a free port and stops it at the end.

``s3_vault``: the vault switched to the S3 backend, on a fresh bucket (created by Securact
itself, with Object Lock) for each test, with helpers to look at and tamper with the objects
behind Securact's back (as an attacker, or a faulty disk, would). Registered in
``tests/conftest.py``'s ``pytest_plugins``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config

from securact.vault.blobs import blob_name
from tests.conftest import TEST_ROOT
from tests.processes import BIN, free_port, port_open, running

ACCESS_KEY = "securact-test"
SECRET_KEY = "securact-test-secret"
REGION = "eu-west-3"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """Endpoint URL of the S3 server: the run's, or one started for this session."""
    url = os.environ.get("SECURACT_TEST_S3_ENDPOINT_URL")
    if url:
        yield url
        return
    port = free_port()
    TEST_ROOT.mkdir(parents=True, exist_ok=True)
    with running(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        "moto_server",
        lambda: port_open(port),
        log=TEST_ROOT / f"moto-{port}.log",
    ):
        yield f"http://127.0.0.1:{port}"


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@dataclass
class S3Vault:
    """The S3 backend as a test sees it, from outside Securact."""

    endpoint: str
    bucket: str
    client: Any
    name: str = "s3"

    def env(self) -> dict[str, str]:
        """Environment for a Securact process (gunicorn, worker) on this bucket."""
        return {
            "SECURACT_VAULT_STORAGE": "s3",
            "SECURACT_S3_ENDPOINT_URL": self.endpoint,
            "SECURACT_S3_BUCKET": self.bucket,
            "SECURACT_S3_ACCESS_KEY": ACCESS_KEY,
            "SECURACT_S3_SECRET_KEY": SECRET_KEY,
            "SECURACT_S3_REGION": REGION,
        }

    def headers(self, sha256: str) -> dict[str, str]:
        """The HTTP headers of the object's current version, as the server sends them."""
        answer = self.client.head_object(Bucket=self.bucket, Key=blob_name(sha256))
        return dict(answer["ResponseMetadata"]["HTTPHeaders"])

    def content(self, sha256: str) -> bytes:
        answer = self.client.get_object(Bucket=self.bucket, Key=blob_name(sha256))
        return bytes(answer["Body"].read())

    def versions(self, sha256: str) -> list[dict[str, Any]]:
        answer = self.client.list_object_versions(Bucket=self.bucket, Prefix=blob_name(sha256))
        return list(answer.get("Versions", []))

    def overwrite(self, sha256: str, data: bytes) -> None:
        """Change the stored bytes: a new version over the object (what a reader now gets)."""
        self.client.put_object(Bucket=self.bucket, Key=blob_name(sha256), Body=data)

    def truncate(self, sha256: str) -> None:
        self.overwrite(sha256, self.content(sha256)[:-1])

    def remove(self, sha256: str) -> None:
        """Make the content disappear (a delete marker: the server allows it under a lock)."""
        self.client.delete_object(Bucket=self.bucket, Key=blob_name(sha256))

    def set_retention(self, sha256: str, until: datetime) -> None:
        """Put a COMPLIANCE retention straight on the server (moto accepts a shorter one)."""
        self.client.put_object_retention(
            Bucket=self.bucket,
            Key=blob_name(sha256),
            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until},
        )


@pytest.fixture
def s3_vault(settings: Any, s3_endpoint: str) -> S3Vault:
    """Securact's vault on the S3 backend, on a bucket of its own (Securact creates it)."""
    vault = S3Vault(
        endpoint=s3_endpoint,
        bucket=f"securact-test-{uuid.uuid4().hex[:20]}",
        client=s3_client(s3_endpoint),
    )
    settings.SECURACT_VAULT_STORAGE = "s3"
    settings.SECURACT_S3_ENDPOINT_URL = s3_endpoint
    settings.SECURACT_S3_BUCKET = vault.bucket
    settings.SECURACT_S3_ACCESS_KEY = ACCESS_KEY
    settings.SECURACT_S3_SECRET_KEY = SECRET_KEY
    settings.SECURACT_S3_REGION = REGION
    settings.SECURACT_S3_ADDRESSING_STYLE = "path"
    return vault
