"""The deposit timestamp (F7.3, *preuve*): at deposit, the TSA timestamps the content's
SHA-256, and the RFC 3161 token is kept with the file (``StoredFile.deposit_timestamp``).

The token alone proves, to anyone holding the TSA's root, that this exact content existed
at the time it states (``openssl ts -verify -digest <sha256> …``), whatever happens to the
platform's database later. Asking for it is a network call: it is made before the
deposit's transaction, never under the journal's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509

from securact.evidence.timestamp_reply import timestamp_response
from securact.evidence.xml_seal import timestamp_digest
from securact.signing.services import timestamper


def timestamp_content(sha256: str) -> bytes:
    """The DER RFC 3161 token whose message imprint is ``sha256`` (hex, as stored).

    Raises ``SealTransientError`` (French message) when the TSA is unreachable or refuses:
    the service process retries the step; a person is told to try again later."""
    return timestamp_digest(bytes.fromhex(sha256), timestamper())


__all__ = ["TokenFacts", "timestamp_content", "timestamp_response", "token_facts"]


@dataclass(frozen=True)
class TokenFacts:
    """What an RFC 3161 token states, read from it (asn1crypto), for the PDF and JSON."""

    time: datetime
    tsa: str
    serial_number: str  # hexadecimal
    policy: str
    hash_algorithm: str
    hashed_message: str  # hexadecimal
    certificates: tuple[asn1_x509.Certificate, ...]
    signer: asn1_x509.Certificate | None


def token_facts(token: bytes) -> TokenFacts:
    signed_data = cms.ContentInfo.load(token)["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    imprint = info["message_imprint"]
    certificates = tuple(
        choice.chosen
        for choice in signed_data["certificates"] or []
        if isinstance(choice.chosen, asn1_x509.Certificate)
    )
    signer = _signer(signed_data, certificates)
    tsa = signer.subject.human_friendly if signer is not None else ""
    if not tsa and info["tsa"].native is not None:
        tsa = str(info["tsa"].native)
    return TokenFacts(
        time=info["gen_time"].native,
        tsa=tsa,
        serial_number=format(info["serial_number"].native, "x"),
        policy=info["policy"].dotted,
        hash_algorithm=imprint["hash_algorithm"]["algorithm"].native,
        hashed_message=imprint["hashed_message"].native.hex(),
        certificates=certificates,
        signer=signer,
    )


def _signer(
    signed_data: cms.SignedData, certificates: tuple[asn1_x509.Certificate, ...]
) -> asn1_x509.Certificate | None:
    sid = signed_data["signer_infos"][0]["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None
