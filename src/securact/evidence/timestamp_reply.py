"""RFC 3161 answers kept as ``.tsr`` files (TimeStampResp DER): made from a token, and read
back (status, hashed message), with asn1crypto."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import cms, tsp


def timestamp_response(token: bytes) -> bytes:
    """The token wrapped in a TimeStampResp with status *granted* (what the TSA answered),
    the form ``openssl ts -verify -in`` reads without ``-token_in``."""
    response = tsp.TimeStampResp(
        {
            "status": tsp.PKIStatusInfo({"status": "granted"}),
            "time_stamp_token": cms.ContentInfo.load(token),
        }
    )
    return bytes(response.dump())


@dataclass(frozen=True)
class Imprint:
    granted: bool
    hash_algorithm: str
    hashed_message: bytes


def response_imprint(der: bytes) -> Imprint:
    """What a TimeStampResp says it timestamps; ValueError when it is not one."""
    response = tsp.TimeStampResp.load(der)
    status = response["status"]["status"].native
    token = response["time_stamp_token"]
    if token.native is None:
        return Imprint(False, "", b"")
    info = token["content"]["encap_content_info"]["content"].parsed
    imprint = info["message_imprint"]
    return Imprint(
        status in ("granted", "granted_with_mods"),
        imprint["hash_algorithm"]["algorithm"].native,
        bytes(imprint["hashed_message"].native),
    )
