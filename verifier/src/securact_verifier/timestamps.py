"""RFC 3161 timestamps: the TSA's signature over the expected imprint, by a TSA whose
certificate chains to the trust anchors. pyHanko validates (no ASN.1 by hand), offline.

A timestamp's chain is validated at the time it attests (the TSA's certificate was valid
then); years later, an expired TSA certificate does not make an old timestamp worthless.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, tsp, x509
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from securact_verifier.trust import Anchors

IMPRINT_HASHES = {"sha256", "sha384", "sha512"}

__all__ = [
    "Stamp",
    "StampError",
    "common_name",
    "offline_context",
    "token_time",
    "verify_response",
    "verify_token",
]


class StampError(Exception):
    """The timestamp does not verify; the message (French) says why."""


@dataclass(frozen=True)
class Stamp:
    time: datetime
    tsa: str


def common_name(certificate: x509.Certificate) -> str:
    """The subject's common name (or the whole subject when it has none)."""
    name = certificate.subject.native.get("common_name")
    return str(name) if name else str(certificate.subject.human_friendly)


def offline_context(anchors: Anchors, moment: datetime | None = None) -> ValidationContext:
    """A validation context that never fetches anything (no network)."""
    return ValidationContext(
        trust_roots=anchors.roots,
        other_certs=anchors.others,
        allow_fetching=False,
        moment=moment,
    )


def token_time(token: cms.ContentInfo) -> datetime:
    """The genTime of a TimeStampToken (a ContentInfo holding SignedData over TSTInfo)."""
    content = token["content"]["encap_content_info"]["content"]
    tst_info = content.parsed
    if not isinstance(tst_info, tsp.TSTInfo):
        raise StampError("le jeton d'horodatage ne contient pas de TSTInfo")
    moment: datetime = tst_info["gen_time"].native
    return moment


def _imprint_of(data: bytes) -> Callable[[str], bytes]:
    def imprint(algorithm: str) -> bytes:
        if algorithm not in IMPRINT_HASHES:
            raise StampError(f"empreinte d'horodatage en {algorithm} refusée")
        return hashlib.new(algorithm, data).digest()

    return imprint


def verify_token(token: cms.ContentInfo, data: bytes, anchors: Anchors) -> Stamp:
    """Check a TimeStampToken over `data`; return its time and TSA, or raise StampError."""
    try:
        moment = token_time(token)
        status = asyncio.run(
            validate_tst_signed_data(
                token["content"], offline_context(anchors, moment), _imprint_of(data)
            )
        )
    except StampError:
        raise
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        raise StampError(f"jeton d'horodatage illisible ou invalide ({exc})") from exc
    if not status["intact"]:
        raise StampError("l'horodatage ne porte pas sur ces données (empreinte différente)")
    if not status["valid"]:
        raise StampError("la signature de l'autorité d'horodatage est invalide")
    if status["trust_problem_indic"] is not None:
        raise StampError(
            "l'autorité d'horodatage ne remonte pas aux autorités de confiance "
            f"({status['trust_problem_indic']})"
        )
    return Stamp(status["timestamp"], common_name(status["signing_cert"]))


def verify_response(tsr: bytes, data: bytes, anchors: Anchors) -> Stamp:
    """Check a TimeStampResp (`.tsr`, DER) over `data`."""
    try:
        response = tsp.TimeStampResp.load(tsr)
        granted = response["status"]["status"].native
        token = response["time_stamp_token"]
        if granted not in ("granted", "granted_with_mods") or not isinstance(
            token, cms.ContentInfo
        ):
            raise StampError(f"réponse d'horodatage sans jeton (statut {granted})")
        token.native  # noqa: B018 — parse it all now: damage shows here, not later
    except StampError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise StampError(f"réponse d'horodatage illisible ({exc})") from exc
    return verify_token(token, data, anchors)
