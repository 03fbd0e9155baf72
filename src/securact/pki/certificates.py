"""What a client certificate says about its holder, read with asn1crypto (no hand parsing)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import pem, x509

# organizationIdentifier carries the practice code (CJFR-9991) of a bailiff or the SIRET
# (NTRFR-<14 digits>) of a recipient; see docs/certificates.md.
_PRACTICE = re.compile(r"^CJFR-(\d{3,10})$")
_SIRET = re.compile(r"^NTRFR-(\d{14})$")


class MalformedCertificate(ValueError):
    """The bytes are not an X.509 certificate."""


@dataclass(frozen=True)
class CertificateInfo:
    der: bytes
    fingerprint: str  # SHA-256 of the DER, lowercase hex
    serial_number: int
    holder: str
    function: str
    organization: str
    issuer: str
    not_before: datetime
    not_after: datetime
    practice_code: str | None
    siret: str | None

    @property
    def serial_hex(self) -> str:
        return format(self.serial_number, "X")

    @property
    def certificate(self) -> x509.Certificate:
        return x509.Certificate.load(self.der)


def _attribute(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)


def _match(pattern: re.Pattern[str], value: str) -> str | None:
    found = pattern.match(value)
    return found.group(1) if found else None


def parse_certificate(der: bytes) -> CertificateInfo:
    """Read the fields the service shows and uses; raise MalformedCertificate on garbage."""
    try:
        cert = x509.Certificate.load(der, strict=True)
        subject, issuer = cert.subject, cert.issuer
        validity = cert["tbs_certificate"]["validity"]
        org_id = _attribute(subject, "organization_identifier")
        return CertificateInfo(
            der=der,
            fingerprint=hashlib.sha256(der).hexdigest(),
            serial_number=cert.serial_number,
            holder=_attribute(subject, "common_name"),
            function=_attribute(subject, "title")
            or _attribute(subject, "organizational_unit_name"),
            organization=_attribute(subject, "organization_name"),
            issuer=_attribute(issuer, "common_name") or issuer.human_friendly,
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
            practice_code=_match(_PRACTICE, org_id),
            siret=_match(_SIRET, org_id),
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise MalformedCertificate(str(exc)) from exc


def pem_to_der(data: bytes) -> bytes:
    """DER from PEM (or DER passed through); MalformedCertificate when neither."""
    if pem.detect(data):
        try:
            _kind, _headers, der = pem.unarmor(data)
        except ValueError as exc:
            raise MalformedCertificate(str(exc)) from exc
        return bytes(der)
    return data


def load_pem_bundle(data: bytes) -> list[x509.Certificate]:
    return [x509.Certificate.load(der) for _k, _h, der in pem.unarmor(data, multiple=True)]
