"""Detached CAdES signatures (``.p7s``, the manual's "PKCS7") of finished signed PDFs, in
the same two halves as PAdES: prepare in the worker, sign on the token in the bailiff's
request, finish (signature timestamp) in the worker.

The ``.p7s`` is DER: ``openssl cms -verify -binary -inform DER -in act.p7s -content
act.pdf -CAfile roots.pem -certfile intermediates.pem -purpose any`` verifies it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509
from django.utils.translation import gettext
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps import TimeStamper

from securact.signing.container import (
    DIGEST_ALGORITHM,
    check_signature_value,
    external_signer,
    signature_mechanism,
    timestamped_container,
)
from securact.signing.errors import SigningFailed
from securact.signing.files import atomic_write_bytes, sha256_file
from securact.signing.pending import PendingSignature


async def async_prepare_cades(
    data: Path, signer_cert: x509.Certificate, chain: list[x509.Certificate]
) -> PendingSignature:
    mechanism = signature_mechanism(signer_cert)
    size, digest = sha256_file(data)  # the message digest is the file's SHA-256
    signer = external_signer(signer_cert, chain)
    # CAdES-BES signed attributes: content type, message digest, signing certificate v2
    # and the signing time CAdES requires (PAdES forbids it, hence is_pdf_sig=False).
    signed_attrs = await signer.signed_attrs(
        digest,
        DIGEST_ALGORITHM,
        attr_settings=PdfCMSSignedAttributes(signing_time=datetime.now(UTC)),
        use_pades=True,
        is_pdf_sig=False,
    )
    return PendingSignature(
        kind="cades",
        tbs=signed_attrs.dump(),
        digest_algorithm=DIGEST_ALGORITHM,
        signature_mechanism=mechanism,
        document_digest=digest,
        signer_cert=signer_cert.dump(),
        chain=tuple(cert.dump() for cert in chain),
        file_size=size,
        file_sha256=digest,
    )


def prepare_cades(
    data: Path, signer_cert: x509.Certificate, chain: list[x509.Certificate]
) -> PendingSignature:
    """Digest ``data`` (streamed) and return the signed attributes the token must sign."""
    return asyncio.run(async_prepare_cades(data, signer_cert, chain))


async def async_finish_cades(
    pending: PendingSignature,
    signature_value: bytes,
    out_p7s: Path,
    *,
    timestamper: TimeStamper,
) -> None:
    if pending.kind != "cades":
        raise SigningFailed(gettext("Signature en attente d'un autre type (CAdES attendu)."))
    await check_signature_value(pending, signature_value)
    # Detached: the SignedData names the content type ("data") but does not embed it.
    container = await timestamped_container(pending, signature_value, timestamper)
    atomic_write_bytes(out_p7s, container.dump())


def finish_cades(
    pending: PendingSignature,
    signature_value: bytes,
    out_p7s: Path,
    *,
    timestamper: TimeStamper,
) -> None:
    """Write the CAdES-T ``.p7s`` (DER) atomically.

    Raises ``SigningTransientError`` when the TSA is unreachable, ``SigningFailed`` when the
    signature value does not match.
    """
    asyncio.run(async_finish_cades(pending, signature_value, out_p7s, timestamper=timestamper))
