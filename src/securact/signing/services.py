"""Signing services for the worker: the timestamp client, validation contexts and offline
validation, configured from settings.

Reuse across calls in one worker process: the TSA client (it caches a sample token used
to size document timestamps) and the parsed trust anchors. A validation context is made
per document: it caches OCSP responses and CRLs, which must be fresh when embedded.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext

from securact.signing.errors import (
    SigningError,
    SigningFailed,
    SigningRefused,
    SigningTransientError,
    TokenLocked,
    TokenPinIncorrect,
    TokenUnavailable,
)
from securact.signing.validation import (
    ValidationReport,
    async_validate_cades_offline,
    async_validate_pades_offline,
)

__all__ = [
    "SigningError",
    "SigningFailed",
    "SigningRefused",
    "SigningTransientError",
    "TokenLocked",
    "TokenPinIncorrect",
    "TokenUnavailable",
    "ValidationReport",
    "intermediate_certificates",
    "load_certificates",
    "timestamper",
    "trust_roots",
    "validate_cades_offline",
    "validate_pades_offline",
    "validation_context",
]

DEFAULT_TSA_TIMEOUT = 10  # seconds


@lru_cache(maxsize=8)
def _timestamper(url: str, timeout: int) -> HTTPTimeStamper:
    return HTTPTimeStamper(url, timeout=timeout)


def timestamper() -> HTTPTimeStamper:
    """The RFC 3161 client for ``SECURACT_TSA_URL``, one per worker process and URL."""
    timeout = int(getattr(settings, "SECURACT_TSA_TIMEOUT", DEFAULT_TSA_TIMEOUT))
    return _timestamper(str(settings.SECURACT_TSA_URL), timeout)


@lru_cache(maxsize=16)
def _certificates_in(path: str, mtime_ns: int) -> tuple[x509.Certificate, ...]:
    data = Path(path).read_bytes()
    if pem.detect(data):
        return tuple(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
    return (x509.Certificate.load(data),)


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Certificates from a PEM bundle (or one DER file), parsed once until it changes."""
    return list(_certificates_in(str(path), path.stat().st_mtime_ns))


def trust_roots() -> list[x509.Certificate]:
    return load_certificates(Path(settings.SECURACT_TRUST_ROOTS))


def intermediate_certificates() -> list[x509.Certificate]:
    return load_certificates(Path(settings.SECURACT_TRUST_INTERMEDIATES))


def validation_context(for_signing: bool = True) -> ValidationContext:
    """Trust anchors and intermediates from settings.

    ``for_signing``: fetch OCSP/CRL online and require them for every certificate, so that
    what finish embeds is complete (an unreachable responder becomes a transient error
    rather than a signature that will not validate offline). Otherwise: offline, nothing
    fetched, revocation checked only if data is at hand.
    """
    if for_signing:
        return ValidationContext(
            trust_roots=trust_roots(),
            other_certs=intermediate_certificates(),
            allow_fetching=True,
            revocation_mode="require",
        )
    return ValidationContext(
        trust_roots=trust_roots(),
        other_certs=intermediate_certificates(),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def validate_pades_offline(
    pdf: Path, roots: list[x509.Certificate], intermediates: list[x509.Certificate]
) -> ValidationReport:
    """AdES LTA validation without any network access (see ``signing.validation``)."""
    return asyncio.run(async_validate_pades_offline(pdf, roots, intermediates))


def validate_cades_offline(
    p7s: Path,
    data: Path,
    roots: list[x509.Certificate],
    intermediates: list[x509.Certificate],
) -> ValidationReport:
    return asyncio.run(async_validate_cades_offline(p7s, data, roots, intermediates))
