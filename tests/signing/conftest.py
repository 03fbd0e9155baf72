"""Fixtures of the signing tests: the demo bailiff's token and certificates, sample PDF/A
files, and one act signed end to end (PAdES B-LTA + CAdES .p7s) shared by the checks."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from asn1crypto import x509

from securact.signing import cades, pades, services
from securact.signing.pending import PendingSignature
from securact.signing.token import sign_with_token
from tests.signing.samples import sample_pdfa

if TYPE_CHECKING:
    from tests.conftest import Identity, PkiServer


@dataclass(frozen=True)
class Bailiff:
    token_label: str
    pin: str
    cert: x509.Certificate

    def sign(self, tbs_list: list[bytes]) -> list[bytes]:
        return sign_with_token(self.token_label, self.pin, self.cert, tbs_list)


def _bailiff(identity: Identity) -> Bailiff:
    record: dict[str, Any] = identity.record
    [cert] = services.load_certificates(Path(record["sign_cert"]))
    return Bailiff(record["token_label"], record["pin"], cert)


@pytest.fixture(scope="session")
def durand(identities: dict[str, Identity]) -> Bailiff:
    return _bailiff(identities["bailiff-durand"])


@pytest.fixture(scope="session")
def martin(identities: dict[str, Identity]) -> Bailiff:
    return _bailiff(identities["bailiff-martin"])


@pytest.fixture(scope="session")
def chain() -> list[x509.Certificate]:
    return services.intermediate_certificates()


@pytest.fixture(scope="session")
def roots() -> list[x509.Certificate]:
    return services.trust_roots()


@pytest.fixture
def sample_pdf(tmp_path: Path) -> Path:
    return sample_pdfa(tmp_path / "acte.pdf")


@pytest.fixture
def make_sample(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str = "acte", *, level: int = 2, text: str = "Page unique") -> Path:
        return sample_pdfa(tmp_path / f"{name}.pdf", level=level, text=text)

    return make


@dataclass(frozen=True)
class SignedAct:
    source: Path
    prepared: Path
    pdf: Path
    p7s: Path
    pending: PendingSignature


def sign_act(
    source: Path, work: Path, bailiff: Bailiff, chain: list[x509.Certificate]
) -> SignedAct:
    """The whole flow in this process: prepare, token, finish B-LTA, then the .p7s."""
    prepared, signed, p7s = work / "prepared.pdf", work / "signed.pdf", work / "signed.p7s"
    pending = pades.prepare_pades(source, prepared, bailiff.cert, chain)
    [value] = bailiff.sign([pending.tbs])
    pades.finish_pades(
        pending,
        prepared,
        value,
        signed,
        timestamper=services.timestamper(),
        validation_context=services.validation_context(),
    )
    pending_p7s = cades.prepare_cades(signed, bailiff.cert, chain)
    [value] = bailiff.sign([pending_p7s.tbs])
    cades.finish_cades(pending_p7s, value, p7s, timestamper=services.timestamper())
    return SignedAct(source, prepared, signed, p7s, pending)


@pytest.fixture(scope="session")
def signed_act(
    tmp_path_factory: pytest.TempPathFactory,
    pki_server: PkiServer,
    durand: Bailiff,
    chain: list[x509.Certificate],
) -> SignedAct:
    work = tmp_path_factory.mktemp("signed-act")
    source = sample_pdfa(work / "acte.pdf")
    return sign_act(source, work, durand, chain)


def flip_byte(path: Path, offset: int, out: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def child_environment(demo_root: Path) -> dict[str, str]:
    """What a worker process needs to reach the test PKI, the same as this process."""
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "securact.settings",
        "SECURACT_TSA_URL": str(settings.SECURACT_TSA_URL),
        "SECURACT_TRUST_ROOTS": str(settings.SECURACT_TRUST_ROOTS),
        "SECURACT_TRUST_INTERMEDIATES": str(settings.SECURACT_TRUST_INTERMEDIATES),
        "SECURACT_PKI_DIR": str(demo_root / "pki"),
    }
