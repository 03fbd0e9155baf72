"""Fixtures of the data message tests: a garnishment's message sealed with the platform's
token key and the test TSA, as the deposit step seals it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from securact.datamessage.message import SCHEMA_PATH, DataMessageData, sealed_data_message
from tests.datamessage.samples import message_data


@pytest.fixture(scope="session")
def data(identities: dict) -> DataMessageData:
    return message_data(identities["recipient-banque-test"].record["siret"])


@pytest.fixture(scope="session")
def sealed_message(data: DataMessageData, pki_server: object) -> bytes:
    return sealed_data_message(data)


@pytest.fixture
def sealed_file(sealed_message: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "9991_REF-2025-0042_20250314_102653_DONNEES.xml"
    path.write_bytes(sealed_message)
    return path


def xmllint_schema(path: Path) -> subprocess.CompletedProcess[str]:
    """libxml2's own command-line validator, independent of our lxml code path."""
    return subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA_PATH), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


# The in-process client signed in with a demo certificate (as nginx forwards it).
from tests.web.conftest import signed_in  # noqa: E402, F401
