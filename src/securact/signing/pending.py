"""The state of a signature between *prepare* (worker), *sign* (the bailiff's request, which
holds the PIN) and *finish* (worker): plain data, serialisable to JSON for the database.

It holds no secret: the signed attributes, the digests and public certificates only.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Literal

from asn1crypto import cms, x509
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

Kind = Literal["pades", "cades"]
STATE_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class PendingSignature:
    """Everything *finish* needs, and ``tbs``: the bytes the token must sign.

    ``tbs`` is the DER of the CMS signed attributes (content type, message digest of the
    document, signing certificate v2, and for CAdES the signing time). The token signs it
    with ``signature_mechanism`` (hashing included, e.g. CKM_SHA256_RSA_PKCS).
    """

    kind: Kind
    tbs: bytes
    digest_algorithm: str
    signature_mechanism: str
    document_digest: bytes
    signer_cert: bytes
    chain: tuple[bytes, ...]
    # The file that was digested: prepared PDF (PAdES) or signed PDF (CAdES). Finish checks
    # it is still the same file before producing anything.
    file_size: int
    file_sha256: bytes
    # PAdES only: where the CMS goes in the prepared PDF (PreparedByteRangeDigest).
    field_name: str | None = None
    reserved_region_start: int | None = None
    reserved_region_end: int | None = None

    @property
    def certificate(self) -> x509.Certificate:
        return x509.Certificate.load(self.signer_cert)

    @property
    def chain_certificates(self) -> list[x509.Certificate]:
        return [x509.Certificate.load(der) for der in self.chain]

    @property
    def signed_attributes(self) -> cms.CMSAttributes:
        return cms.CMSAttributes.load(self.tbs)

    def prepared_digest(self) -> PreparedByteRangeDigest:
        if self.reserved_region_start is None or self.reserved_region_end is None:
            raise ValueError("not a PAdES pending signature")
        return PreparedByteRangeDigest(
            document_digest=self.document_digest,
            reserved_region_start=self.reserved_region_start,
            reserved_region_end=self.reserved_region_end,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "kind": self.kind,
            "tbs": _b64(self.tbs),
            "digest_algorithm": self.digest_algorithm,
            "signature_mechanism": self.signature_mechanism,
            "document_digest": _b64(self.document_digest),
            "signer_cert": _b64(self.signer_cert),
            "chain": [_b64(der) for der in self.chain],
            "file_size": self.file_size,
            "file_sha256": self.file_sha256.hex(),
            "field_name": self.field_name,
            "reserved_region_start": self.reserved_region_start,
            "reserved_region_end": self.reserved_region_end,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingSignature:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown pending signature version {data.get('version')!r}")
        if data["kind"] not in ("pades", "cades"):
            raise ValueError(f"unknown pending signature kind {data['kind']!r}")
        return cls(
            kind=data["kind"],
            tbs=_unb64(data["tbs"]),
            digest_algorithm=str(data["digest_algorithm"]),
            signature_mechanism=str(data["signature_mechanism"]),
            document_digest=_unb64(data["document_digest"]),
            signer_cert=_unb64(data["signer_cert"]),
            chain=tuple(_unb64(der) for der in data["chain"]),
            file_size=int(data["file_size"]),
            file_sha256=bytes.fromhex(data["file_sha256"]),
            field_name=data.get("field_name"),
            reserved_region_start=data.get("reserved_region_start"),
            reserved_region_end=data.get("reserved_region_end"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> PendingSignature:
        return cls.from_dict(json.loads(text))
