"""The trust anchors of a verification, and the other certificates the bundle hands over.

`--trust ROOTS.pem` given: those certificates, and only those, are trusted (an expert passes
the roots he obtained from the authorities themselves). Not given: the self-signed
certificates of the bundle's own `certificats/confiance/autorites.pem` are trusted, and the
verdict says so (that only proves the bundle is consistent with itself). Either way the
non-root certificates of the bundle (intermediate CAs, TSA, OCSP responders, the journal's
chain) are offered as untrusted helpers to build paths, never as anchors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509

from securact_verifier.bundle import AUTHORITIES_PEM, JOURNAL_PEM, Bundle


class TrustError(Exception):
    """The trust anchors file cannot be read (a usage error)."""


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Every CERTIFICATE block of a PEM text (other blocks ignored); ValueError if none."""
    if not pem.detect(data):
        raise ValueError("pas de certificat PEM")
    found = []
    for kind, _headers, der in pem.unarmor(data, multiple=True):
        if kind == "CERTIFICATE":
            certificate = x509.Certificate.load(der)
            certificate.native  # noqa: B018 — parse it all now, so damage shows here
            found.append(certificate)
    if not found:
        raise ValueError("pas de certificat PEM")
    return found


def _self_signed(certificate: x509.Certificate) -> bool:
    return certificate.self_signed in ("yes", "maybe")


@dataclass(frozen=True)
class Anchors:
    roots: list[x509.Certificate]
    others: list[x509.Certificate]  # untrusted helpers (intermediates, TSA, OCSP…)
    from_bundle: bool

    @property
    def roots_pem(self) -> bytes:
        return b"".join(pem.armor("CERTIFICATE", c.dump()) for c in self.roots)


def _bundle_certificates(bundle: Bundle, name: str) -> list[x509.Certificate]:
    data = bundle.members.get(name)
    if data is None:
        return []
    try:
        return load_pem_certificates(data)
    except ValueError:
        return []  # the check of that member says it is unreadable


def anchors_for(bundle: Bundle, trust_file: Path | None) -> Anchors:
    """The anchors of this run (see the module's docstring)."""
    authorities = _bundle_certificates(bundle, AUTHORITIES_PEM)
    journal = _bundle_certificates(bundle, JOURNAL_PEM)
    if trust_file is not None:
        try:
            roots = load_pem_certificates(trust_file.read_bytes())
        except (OSError, ValueError) as exc:
            raise TrustError(f"{trust_file} : autorités de confiance illisibles ({exc})") from exc
        from_bundle = False
    else:
        roots = [c for c in authorities if _self_signed(c)]
        from_bundle = True
    root_ders = {c.dump() for c in roots}
    others = []
    seen = set(root_ders)
    for certificate in [*authorities, *journal]:
        der = certificate.dump()
        if der not in seen and not _self_signed(certificate):
            seen.add(der)
            others.append(certificate)
    return Anchors(roots, others, from_bundle)
