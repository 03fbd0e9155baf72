"""Fixtures of the EDI tests: the demo practice and its declared bailiff, the EDI software's
certificate as the caller, acts uploaded through the EDI, and remote signers (the demo
bailiffs' SoftHSM tokens, their PINs in memory)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pikepdf
import pytest
from asn1crypto import x509
from django.utils import timezone

from securact.core.legal_calendar import PARIS
from securact.directory.models import AcceptedNature, Bailiff, Practice, ServiceWindow
from securact.edi.models import Upload
from securact.edi.uploads import receive_upload
from securact.pki.certificates import pem_to_der
from securact.workflow import serving
from tests.documents import samples

BANQUE_TEST = "99999001300016"
UNKNOWN_SIRET = "73282932000074"  # a valid SIRET that is in no directory here


def pdf_bytes(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def fingerprint(cert_path: str) -> str:
    return hashlib.sha256(pem_to_der(Path(cert_path).read_bytes())).hexdigest()


@pytest.fixture
def practice(declared_bailiff) -> Practice:
    return Practice.objects.get(code="9991")


@pytest.fixture
def durand(declared_bailiff) -> Bailiff:
    return Bailiff.objects.get(full_name="Claire DURAND")


@pytest.fixture
def caller(identities) -> str:
    """The certificate of who submits (the journal's actor): here the bailiff's own
    authentication certificate (an EDI software certificate acts the same way)."""
    return fingerprint(identities["bailiff-durand"].cert)


@pytest.fixture(scope="session")
def act_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A two-page PDF as office software gives (Ghostscript), that converts to PDF/A."""
    return samples.ghostscript_pdf(tmp_path_factory.mktemp("edi") / "acte.pdf").read_bytes()


@pytest.fixture
def upload(practice, caller, service_dirs, act_pdf) -> Callable[..., Upload]:
    def make(name: str = "acte.pdf", content: bytes | None = None) -> Upload:
        return receive_upload(practice, caller, io.BytesIO(content or act_pdf), name)

    return make


def remote_signer(record: dict) -> serving.Signer:
    certificate = x509.Certificate.load(pem_to_der(Path(record["sign_cert"]).read_bytes()))
    return serving.Signer(record["token_label"], certificate, record["pin"])


@pytest.fixture
def remote_signers(identities) -> Callable[[Bailiff, bytes | None], serving.Signer]:
    """The signer factory of remote signing: each bailiff's token, his PIN in memory (as
    ``edi.batch_signing.remote_signers`` makes it from one PIN, here each demo bailiff's)."""
    by_name = {i.record["name"]: i.record for i in identities.values()}
    made: list[str] = []

    def factory(bailiff: Bailiff, _certificate: bytes | None = None) -> serving.Signer:
        made.append(bailiff.full_name)
        return remote_signer(by_name[bailiff.full_name])

    factory.made = made  # type: ignore[attr-defined]
    return factory


def close_service_hours(siret: str, nature_code: str) -> None:
    """The recipient accepts the nature only tomorrow (Paris): today it is outside its hours."""
    accepted = AcceptedNature.objects.get(recipient__siret=siret, nature__code=nature_code)
    accepted.windows.all().delete()
    tomorrow = (timezone.localtime(timezone.now(), PARIS).weekday() + 1) % 7
    ServiceWindow.objects.create(
        accepted_nature=accepted, weekday=tomorrow, start=time(8), end=time(12)
    )
