"""The certificates a bundle or an export hands to whoever checks it.

``autorites.pem``: what the service itself trusts — the PKI's roots and intermediates
(``SECURACT_TRUST_ROOTS``, ``SECURACT_TRUST_INTERMEDIATES``) and the certificates of the
authorities whose answers are inside the evidence: the timestamp authority and the OCSP
responders (``SECURACT_AUTHORITY_CERTS``, a list of PEM files; by default ``tsa.cert.pem``
and ``ocsp-*.cert.pem`` of ``SECURACT_PKI_DIR`` when they exist, as the demo PKI writes
them). ``plateforme-journal.pem``: the checkpoints' signing certificate
(``SECURACT_JOURNAL_CERT``) followed by its issuers up to its root.

These are hints for the expert, never proof by themselves: the LISEZMOI tells him to
compare the roots with the ones the authorities publish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from securact.signing.services import intermediate_certificates, trust_roots


def _trusted(certificates: list[Any]) -> list[x509.Certificate]:
    """The service's trust lists (asn1crypto certificates) as ``cryptography`` ones."""
    return [x509.load_der_x509_certificate(certificate.dump()) for certificate in certificates]


def _authority_files() -> list[Path]:
    configured = settings.SECURACT_AUTHORITY_CERTS
    if configured:
        return [Path(item) for item in configured]
    folder = Path(settings.SECURACT_PKI_DIR)
    return [folder / "tsa.cert.pem", *sorted(folder.glob("ocsp-*.cert.pem"))]


def _read(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError):
        return []


def _unique(certificates: list[x509.Certificate]) -> list[x509.Certificate]:
    seen: set[bytes] = set()
    kept = []
    for certificate in certificates:
        der = certificate.public_bytes(Encoding.DER)
        if der not in seen:
            seen.add(der)
            kept.append(certificate)
    return kept


def authority_certificates() -> list[x509.Certificate]:
    """Roots first, then intermediates, then the TSA and OCSP responders; no duplicate."""
    found = _trusted([*trust_roots(), *intermediate_certificates()])
    for path in _authority_files():
        found.extend(_read(path))
    return _unique(found)


def chain_of(leaf_file: Path) -> list[x509.Certificate]:
    """The certificate(s) of ``leaf_file``, then the issuers found among the trusted
    intermediates and roots, up to the root. Empty when the file cannot be read."""
    chain = _read(leaf_file)
    if not chain:
        return []
    known = [*chain, *_trusted([*intermediate_certificates(), *trust_roots()])]
    ordered = [chain[0]]
    while ordered[-1].issuer != ordered[-1].subject:
        issuer = next((c for c in known if c.subject == ordered[-1].issuer), None)
        if issuer is None or issuer in ordered:
            break
        ordered.append(issuer)
    return _unique([*ordered, *chain[1:]])


def pem(certificates: list[x509.Certificate]) -> bytes:
    return b"".join(certificate.public_bytes(Encoding.PEM) for certificate in certificates)


def authorities_pem() -> bytes:
    return pem(authority_certificates())
