"""PAdES B-LTA signatures in two halves, across processes (pyHanko's interrupted signing).

1. ``prepare_pades`` (worker): writes the prepared PDF — the signing revision with a zeroed
   ``/Contents`` placeholder in the existing field ``Signature1`` — and returns a
   ``PendingSignature`` whose ``tbs`` is the DER of the CMS signed attributes.
2. The bailiff's request signs ``tbs`` on the token (``signing.token``); the PIN stays there.
3. ``finish_pades`` (worker): builds the CMS with that value and an RFC 3161 signature
   timestamp, fills the placeholder, then makes it B-LTA: a DSS revision with the
   certificates, OCSP responses and CRLs of the signer's and the TSA's chains, and a
   document timestamp over everything.

Prepare needs no network, so it can run as soon as the PDF/A exists. Finish never modifies
the prepared file: after a transient failure (TSA down) the same pending signature and
signature value can be finished again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import IO

from asn1crypto import x509
from django.utils.translation import gettext
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.sign.fields import (
    SigFieldSpec,
    SigSeedSubFilter,
    append_signature_field,
    enumerate_sig_fields,
)
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko.sign.signers.pdf_signer import (
    PdfSignatureMetadata,
    PdfSigner,
    PdfTBSDocument,
    PdfTimeStamper,
)
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    CertificateFetchError,
    InsufficientRevinfoError,
    PathError,
    RevokedError,
    ValidationError,
)

from securact.signing.container import (
    DIGEST_ALGORITHM,
    check_signature_value,
    external_signer,
    signature_mechanism,
    timestamped_container,
)
from securact.signing.errors import SigningFailed, SigningTransientError
from securact.signing.files import CHUNK, atomic_output, sha256_file
from securact.signing.pending import PendingSignature

logger = logging.getLogger(__name__)

__all__ = [
    "DOCUMENT_TIMESTAMP_FIELD",
    "SIGNATURE_FIELD",
    "PendingSignature",
    "async_finish_pades",
    "async_prepare_pades",
    "finish_pades",
    "prepare_pades",
]

SIGNATURE_FIELD = "Signature1"
# Created empty at prepare time (with an appearance stream, as PDF/A wants for every
# widget), filled by the document timestamp at finish time.
DOCUMENT_TIMESTAMP_FIELD = "Horodatage1"
# Room for the signature timestamp token, unknown at prepare time (asking the TSA for a
# sample would make prepare depend on the network). Real TSA tokens with their
# certificates weigh 3–8 KB; the demo TSA's about 2 KB.
TIMESTAMP_TOKEN_ALLOWANCE = 16 * 1024


# ---------------------------------------------------------------- prepare (worker)


async def _bytes_to_reserve(signer: ExternalSigner) -> int:
    """Hex characters for /Contents: a dry-run CMS plus room for the timestamp token."""
    dry_run = await signer.async_sign(bytes(32), DIGEST_ALGORITHM, dry_run=True, use_pades=True)
    return 2 * (len(dry_run.dump()) + TIMESTAMP_TOKEN_ALLOWANCE)


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """PDF/A wants the Info and XMP Producers equal. Every pyHanko revision sets the XMP
    one to pyHanko's name and *appends* that name to the Info one unless already there:
    making the Info Producer exactly that name keeps them equal in all our revisions."""
    try:
        info_ref = writer.trailer.raw_get("/Info")
    except KeyError:
        return  # no Info dictionary: pyHanko then writes XMP only
    if isinstance(info_ref, generic.IndirectObject):
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)


def _field_refs(writer: IncrementalPdfFileWriter) -> dict[str, generic.IndirectObject]:
    return {name: ref for name, _value, ref in enumerate_sig_fields(writer)}


def _add_timestamp_field(writer: IncrementalPdfFileWriter) -> None:
    """An invisible, printable, empty field for the document timestamp, with an empty
    appearance stream (pyHanko would otherwise create one without, at finish time)."""
    if DOCUMENT_TIMESTAMP_FIELD in _field_refs(writer):
        return
    append_signature_field(writer, SigFieldSpec(DOCUMENT_TIMESTAMP_FIELD))
    field = _field_refs(writer)[DOCUMENT_TIMESTAMP_FIELD].get_object()
    appearance = writer.add_object(init_xobject_dictionary(b"", 0, 0))
    field["/AP"] = generic.DictionaryObject({generic.pdf_name("/N"): appearance})


def _pdf_signer(signer: ExternalSigner, field_name: str) -> PdfSigner:
    # No timestamper and no validation context here: the signature timestamp and the
    # long-term data are added by finish, in the worker, after the token has signed.
    metadata = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST_ALGORITHM,
        subfilter=SigSeedSubFilter.PADES,
    )
    return PdfSigner(metadata, signer=signer)


async def async_prepare_pades(
    pdf: Path,
    prepared_out: Path,
    signer_cert: x509.Certificate,
    chain: list[x509.Certificate],
    *,
    field_name: str = SIGNATURE_FIELD,
) -> PendingSignature:
    mechanism = signature_mechanism(signer_cert)
    signer = external_signer(signer_cert, chain)
    pdf_signer = _pdf_signer(signer, field_name)
    reserved = await _bytes_to_reserve(signer)
    try:
        with pdf.open("rb") as source, atomic_output(prepared_out) as output:
            writer = IncrementalPdfFileWriter(source, strict=False)
            _align_producer(writer)
            _add_timestamp_field(writer)
            prepared, _tbs, _ = await pdf_signer.async_digest_doc_for_signing(
                writer, existing_fields_only=True, bytes_reserved=reserved, output=output
            )
    except (SigningError, PdfError) as error:
        logger.warning("%s cannot be prepared for signing: %s", pdf, error)
        raise SigningFailed(
            gettext(
                "Le document ne peut pas être préparé pour la signature : sa structure PDF "
                "n'est pas acceptée."
            )
        ) from error
    signed_attrs = await signer.signed_attrs(
        prepared.document_digest, DIGEST_ALGORITHM, use_pades=True
    )
    size, sha256 = sha256_file(prepared_out)
    return PendingSignature(
        kind="pades",
        tbs=signed_attrs.dump(),
        digest_algorithm=DIGEST_ALGORITHM,
        signature_mechanism=mechanism,
        document_digest=prepared.document_digest,
        signer_cert=signer_cert.dump(),
        chain=tuple(cert.dump() for cert in chain),
        file_size=size,
        file_sha256=sha256,
        field_name=field_name,
        reserved_region_start=prepared.reserved_region_start,
        reserved_region_end=prepared.reserved_region_end,
    )


def prepare_pades(
    pdf: Path,
    prepared_out: Path,
    signer_cert: x509.Certificate,
    chain: list[x509.Certificate],
    *,
    field_name: str = SIGNATURE_FIELD,
) -> PendingSignature:
    """Write the prepared PDF to ``prepared_out``; return what the token must sign."""
    return asyncio.run(
        async_prepare_pades(pdf, prepared_out, signer_cert, chain, field_name=field_name)
    )


# ---------------------------------------------------------------- finish (worker)


def _check_prepared(handle: IO[bytes], pending: PendingSignature) -> None:
    """The file being finished is byte for byte the one prepare digested."""
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    if size != pending.file_size or digest.digest() != pending.file_sha256:
        raise SigningFailed(
            gettext("Le fichier préparé ne correspond pas à la signature en attente.")
        )


def _our_signature(handle: IO[bytes], field_name: str | None) -> EmbeddedPdfSignature:
    handle.seek(0)
    reader = PdfFileReader(handle, strict=False)
    # pyHanko leaves embedded_signatures unannotated.
    signatures: list[EmbeddedPdfSignature] = reader.embedded_signatures
    for signature in signatures:
        if signature.field_name == field_name:
            return signature
    raise SigningFailed(gettext("Signature introuvable dans le document signé."))


def _validation_failure(error: Exception) -> Exception:
    """Unreachable or silent revocation services are transient; anything else is not."""
    if isinstance(error, (InsufficientRevinfoError, CertificateFetchError)):
        return SigningTransientError(gettext("vérification de révocation des certificats"))
    if isinstance(error, RevokedError):
        return SigningFailed(gettext("Le certificat de signature est révoqué."))
    logger.warning("signing certificate not valid: %s", error)
    return SigningFailed(
        gettext(
            "Le certificat de signature n'est pas valide (chaîne de certification, dates ou usage)."
        )
    )


async def _add_long_term_data(
    handle: IO[bytes],
    field_name: str | None,
    timestamper: TimeStamper,
    validation_context: ValidationContext,
) -> None:
    """B-T → B-LTA: a DSS revision (chains, OCSP, CRLs of signer and signature TSA), then a
    document timestamp whose own TSA's validation data pyHanko adds beside it."""
    signature = _our_signature(handle, field_name)
    try:
        await async_add_validation_info(signature, validation_context, in_place=True)
        writer = IncrementalPdfFileWriter(handle, strict=False)
        await PdfTimeStamper(timestamper, field_name=DOCUMENT_TIMESTAMP_FIELD).async_timestamp_pdf(
            writer, DIGEST_ALGORITHM, validation_context, in_place=True
        )
    except TimestampRequestError as error:
        raise SigningTransientError(gettext("horodatage du document")) from error
    except (PathError, ValidationError) as error:
        raise _validation_failure(error) from error


async def async_finish_pades(
    pending: PendingSignature,
    prepared: Path,
    signature_value: bytes,
    out: Path,
    *,
    timestamper: TimeStamper,
    validation_context: ValidationContext,
) -> None:
    if pending.kind != "pades":
        raise SigningFailed(gettext("Signature en attente d'un autre type (PAdES attendu)."))
    try:
        await check_signature_value(pending, signature_value)
        container = await timestamped_container(pending, signature_value, timestamper)
        with atomic_output(out, copy_of=prepared) as handle:
            _check_prepared(handle, pending)
            await PdfTBSDocument.async_finish_signing(handle, pending.prepared_digest(), container)
            await _add_long_term_data(handle, pending.field_name, timestamper, validation_context)
    finally:
        # The context's HTTP session belongs to this event loop; the context itself stays
        # usable by the next call.
        await validation_context.aclose()


def finish_pades(
    pending: PendingSignature,
    prepared: Path,
    signature_value: bytes,
    out: Path,
    *,
    timestamper: TimeStamper,
    validation_context: ValidationContext,
) -> None:
    """Write the B-LTA signed PDF to ``out`` (atomically); ``prepared`` is left untouched.

    Raises ``SigningTransientError`` when the TSA or a revocation service is unreachable
    (retry later with the same arguments), ``SigningFailed`` otherwise.
    """
    asyncio.run(
        async_finish_pades(
            pending,
            prepared,
            signature_value,
            out,
            timestamper=timestamper,
            validation_context=validation_context,
        )
    )
