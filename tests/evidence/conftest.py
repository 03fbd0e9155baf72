"""Fixtures of the evidence tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from securact.evidence.deposit_certificate import (
    ActNatureInfo,
    CertificateIdentity,
    DepositCertificateData,
    DepositedFile,
    PracticeInfo,
    RecipientInfo,
    sealed_deposit_certificate,
)
from securact.evidence.guards import TRIGGERS
from securact.pki.demo_pki import DemoLayout


@pytest.fixture
def triggers_off() -> Iterator[None]:
    """The journal's database triggers (entries and leaves) dropped, as a tamperer with SQL
    access would do, and created again afterwards by re-running the migrations' SQL on this
    connection."""
    from importlib import import_module

    migrations = [
        import_module(f"securact.evidence.migrations.{name}")
        for name in ("0001_initial", "0002_merkle")
    ]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for migration in migrations:
            for sql in migration.REVERSE_SQL[vendor]:
                cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for migration in migrations:
            for sql in migration.TRIGGER_SQL[vendor]:
                cursor.execute(sql)
    assert set(TRIGGERS[vendor]) <= _trigger_names()


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture(scope="session")
def deposit_data(identities: dict) -> DepositCertificateData:
    """A deposit by the demo bailiff (her signing certificate) to the demo bank."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    bailiff, bank = identities["bailiff-durand"], identities["recipient-banque-test"]
    pem = Path(bailiff.record["sign_cert"]).read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    deposited_at = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
    return DepositCertificateData(
        platform="SECURACT",
        signification_id=42,
        deposit_reference="REF-2025-0042",
        practice=PracticeInfo("9991", "SCP Durand & Martin, commissaires de justice associés"),
        bailiff_certificate=CertificateIdentity.from_der(der),
        recipient=RecipientInfo(bank.record["name"], bank.record["siret"]),
        nature=ActNatureInfo("saisie-attribution", "Procès-verbal de saisie-attribution"),
        files=(
            DepositedFile("9991_REF-2025-0042_20250314_102653.pdf", 48213, "1f" * 32, "2B"),
            DepositedFile("9991_REF-2025-0042_20250314_102653_2.pdf", 9021, "e0" * 32, "2B"),
        ),
        deposited_at=deposited_at,
    )


@pytest.fixture(scope="session")
def sealed_certificate(deposit_data: DepositCertificateData, pki_server: object) -> bytes:
    """The deposit certificate sealed with the platform's token key and the test TSA."""
    return sealed_deposit_certificate(deposit_data)


@pytest.fixture
def sealed_file(sealed_certificate: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "attestation_depot.xml"
    path.write_bytes(sealed_certificate)
    return path


def xmlsec1_verify(path: Path, layout: DemoLayout) -> subprocess.CompletedProcess[str]:
    """The real xmlsec1 check an expert would run: root trusted, issuing CA untrusted."""
    sign_ca = path.parent / "sign-ca.pem"
    sign_ca.write_bytes(intermediate_named(layout, "Signature"))
    return subprocess.run(
        [
            "xmlsec1",
            "--verify",
            "--trusted-pem",
            str(layout.trust / "roots.pem"),
            "--untrusted-pem",
            str(sign_ca),
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            "--id-attr:Id",
            "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def intermediate_named(layout: DemoLayout, word: str) -> bytes:
    """The PEM of the intermediate CA of intermediates.pem whose name contains ``word``."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    certs = x509.load_pem_x509_certificates((layout.trust / "intermediates.pem").read_bytes())
    (cert,) = [c for c in certs if word in c.subject.rfc4514_string()]
    return cert.public_bytes(Encoding.PEM)
