"""Client-certificate validation (F1.1): chain to the configured trust roots, validity
dates, key usage for client authentication, and revocation (CRL or OCSP, fetched online).

Validation is done by pyhanko-certvalidator; this module only decides what to ask it and
turns its verdict into a refusal a bailiff understands. Verdicts are cached per certificate
fingerprint for ``SECURACT_CERT_CACHE_SECONDS`` so that OCSP is not asked on every click;
"revocation unknown" is cached only briefly, since it usually means a responder hiccup.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import aiohttp
from asn1crypto import x509
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from securact.pki.certificates import (
    CertificateInfo,
    MalformedCertificate,
    load_pem_bundle,
    parse_certificate,
)
from securact.pki.fetchers import guarded

logger = logging.getLogger(__name__)

REFUSALS = {
    "no_certificate": (
        _("Aucun certificat n'a été présenté."),
        _(
            "Branchez votre clé (certificat Classe 3+), puis rechargez la page et choisissez "
            "votre certificat d'authentification quand le navigateur le demande."
        ),
    ),
    "malformed": (
        _("Le certificat présenté est illisible."),
        _(
            "Fermez le navigateur, rebranchez votre clé et réessayez. Si le problème persiste, "
            "contactez votre autorité de certification."
        ),
    ),
    "unknown_issuer": (
        _(
            "Le certificat présenté n'a pas été émis par une autorité de certification reconnue "
            "par SECURACT."
        ),
        _(
            "Utilisez votre certificat d'authentification professionnel (Classe 3+). "
            "La liste des autorités acceptées est disponible auprès de l'exploitant."
        ),
    ),
    "expired": (
        _("Votre certificat a expiré."),
        _(
            "Demandez son renouvellement à votre autorité de certification, puis connectez-vous "
            "avec le nouveau certificat : votre coffre-fort vous sera conservé."
        ),
    ),
    "not_yet_valid": (
        _("Votre certificat n'est pas encore valide."),
        _(
            "Vérifiez la date de début de validité du certificat (et l'heure de votre poste), "
            "puis réessayez à partir de cette date."
        ),
    ),
    "revoked": (
        _("Votre certificat a été révoqué par son autorité de certification."),
        _(
            "Il ne peut plus être utilisé. Contactez votre autorité de certification pour "
            "obtenir un nouveau certificat."
        ),
    ),
    "revocation_unknown": (
        _("L'état de révocation de votre certificat n'a pas pu être vérifié."),
        _(
            "Le service de révocation de l'autorité de certification ne répond pas. "
            "Réessayez dans quelques minutes."
        ),
    ),
    "wrong_usage": (
        _("Ce certificat ne permet pas l'authentification d'un client."),
        _("Choisissez votre certificat d'authentification, et non votre certificat de signature."),
    ),
}


@dataclass(frozen=True)
class Verdict:
    """Outcome of a validation: ``info`` is set when accepted, ``refusal`` otherwise."""

    info: CertificateInfo | None
    refusal: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


_TRUST_LOCK = threading.Lock()


def _fully_parsed(certificates: list[x509.Certificate]) -> list[x509.Certificate]:
    """asn1crypto parses lazily, and a parse is not thread-safe: a certificate shared by
    threads is parsed to the last field (``.native``) before any of them reads it."""
    for certificate in certificates:
        _ = certificate.native
    return certificates


@lru_cache(maxsize=8)
def _trust(
    roots: Path, intermediates: Path, _mtime: float
) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """Trust anchors and known intermediates, reloaded when the files change, fully parsed
    before they are cached for every thread."""
    with _TRUST_LOCK:
        inter = load_pem_bundle(intermediates.read_bytes()) if intermediates.exists() else []
        return _fully_parsed(load_pem_bundle(roots.read_bytes())), _fully_parsed(inter)


def trust_material() -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    roots = Path(settings.SECURACT_TRUST_ROOTS)
    inter = Path(settings.SECURACT_TRUST_INTERMEDIATES)
    if not roots.exists():
        logger.error("trust roots file missing: %s", roots)
        return [], []
    mtime = roots.stat().st_mtime + (inter.stat().st_mtime if inter.exists() else 0)
    return _trust(roots, inter, mtime)


@dataclass(frozen=True)
class Usage:
    """The key usages (and extended key usages, or none asked) a certificate must allow."""

    key_usage: frozenset[str]
    extended_key_usage: frozenset[str] | None


CLIENT_AUTH = Usage(frozenset({"digital_signature"}), frozenset({"client_auth"}))
# A qualified signature: non-repudiation (the web form and `securact serve` offer only such
# certificates of the token, signing.token.signing_certificates_of); no extended usage.
QUALIFIED_SIGNATURE = Usage(frozenset({"non_repudiation"}), None)


async def _run_validation(cert: x509.Certificate, usage: Usage = CLIENT_AUTH) -> None:
    """Chain to the trust roots, dates, revocation (online), and ``usage``."""
    roots, intermediates = trust_material()
    async with AIOHttpFetcherBackend(per_request_timeout=5) as fetchers:
        context = ValidationContext(
            trust_roots=roots,
            other_certs=intermediates,
            allow_fetching=True,
            revocation_mode=settings.SECURACT_REVOCATION_MODE,
            fetchers=guarded(fetchers),
        )
        validator = CertificateValidator(cert, validation_context=context)
        extended = usage.extended_key_usage
        await validator.async_validate_usage(
            set(usage.key_usage), set(extended) if extended is not None else None
        )


def classify(error: Exception) -> str:
    """Map a certvalidator error to one refusal code (most specific first)."""
    ordered: list[tuple[type[Exception], str]] = [
        (RevokedError, "revoked"),
        (ExpiredError, "expired"),
        (NotYetValidError, "not_yet_valid"),
        (InsufficientRevinfoError, "revocation_unknown"),
        (PathBuildingError, "unknown_issuer"),
        (InvalidCertificateError, "wrong_usage"),
        (PathValidationError, "unknown_issuer"),
    ]
    for kind, code in ordered:
        if isinstance(error, kind):
            return code
    return "unknown_issuer"


def _validate_uncached(der: bytes, usage: Usage = CLIENT_AUTH) -> Verdict:
    try:
        info = parse_certificate(der)
    except MalformedCertificate:
        return Verdict(None, "malformed")
    try:
        asyncio.run(_run_validation(info.certificate, usage))
    except (ValueError, TypeError) as error:
        # Structurally broken DER deep inside (extensions, signature): asn1crypto raises
        # while certvalidator reads it. The certificate is unreadable, not a server error.
        logger.info("client certificate %s unreadable: %s", info.fingerprint, error)
        return Verdict(info, "malformed")
    except (ValidationError, PathBuildingError) as error:
        code = classify(error)
        logger.info("client certificate %s refused: %s (%s)", info.fingerprint, code, error)
        return Verdict(info, code)
    except (TimeoutError, OSError, aiohttp.ClientError) as error:
        # The fetchers are guarded (securact.pki.fetchers); a network failure that still
        # escapes (a session that cannot open, a close that times out) is the same thing:
        # the revocation state is unknown, which the holder is told in French.
        logger.warning("client certificate %s: revocation unknown (%r)", info.fingerprint, error)
        return Verdict(info, "revocation_unknown")
    return Verdict(info)


def validate_client_certificate(der: bytes | None) -> Verdict:
    """Validate a client certificate (DER); cached per fingerprint."""
    return _cached_verdict(der, "securact:cert:", CLIENT_AUTH)


def validate_signing_certificate(der: bytes | None) -> Verdict:
    """Validate a qualified signing certificate (DER) as the platform's signing accepts it:
    chain to the trust roots, dates, revocation, and the non-repudiation key usage (no
    extended key usage asked); cached per fingerprint, apart from the client verdicts."""
    return _cached_verdict(der, "securact:signing-cert:", QUALIFIED_SIGNATURE)


def _cached_verdict(der: bytes | None, prefix: str, usage: Usage) -> Verdict:
    if not der:
        return Verdict(None, "no_certificate")
    import hashlib

    key = prefix + hashlib.sha256(der).hexdigest()
    cached: Verdict | None = cache.get(key)
    if cached is not None:
        return cached
    verdict = _validate_uncached(der, usage)
    timeout = (
        10 if verdict.refusal == "revocation_unknown" else settings.SECURACT_CERT_CACHE_SECONDS
    )
    cache.set(key, verdict, timeout)
    return verdict


def refusal_text(code: str) -> tuple[str, str]:
    """The French sentence saying what is wrong, and the one saying what to do."""
    problem, advice = REFUSALS[code]
    return str(problem), str(advice)
