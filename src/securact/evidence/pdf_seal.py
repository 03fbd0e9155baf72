"""The platform's seal on a PDF: PAdES B-LTA with the seal key on its token (F6.3 delivery
certificate, F6.4 act returns).

The same three halves as the bailiff's signature (``signing.pades``), in one process: prepare
the signing revision, have the seal key sign the CMS signed attributes on its token
(CKM_SHA256_RSA_PKCS, :class:`~securact.evidence.seal.TokenRSAPrivateKey`), then finish —
signature timestamp (RFC 3161), OCSP/CRL in a DSS, document timestamp. The result validates
offline (pyHanko AdES) like a signed act. No cryptography here: pyHanko and the token do it.

The input must be a signing-ready PDF/A (``documents.convert_to_pdfa``): the seal fills its
prepared invisible field ``Signature1`` and keeps the PDF/A claim.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.translation import gettext

from securact.documents.services import DocumentKind, PdfaLevel, convert_to_pdfa
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.evidence.seal import platform_seal_key, seal_certificate_chain
from securact.signing import pades
from securact.signing.errors import SigningFailed, SigningTransientError
from securact.signing.services import (
    intermediate_certificates,
    timestamper,
    trust_roots,
    validation_context,
)


def _seal_certificates() -> tuple[asn1_x509.Certificate, list[asn1_x509.Certificate]]:
    """The seal certificate and what a verifier needs beside it (issuers, then roots)."""
    chain = [
        asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
        for cert in seal_certificate_chain()
    ]
    return chain[0], [*chain[1:], *intermediate_certificates(), *trust_roots()]


def seal_pdf(pdf: Path, out: Path) -> None:
    """Write ``pdf`` sealed by the platform to ``out`` (atomically; ``pdf`` is untouched).

    Raises ``SealTransientError`` when the TSA or a revocation service is unreachable (try
    again later), ``SealConfigurationError`` when retrying cannot help (seal key or
    certificate wrong, document not sealable)."""
    cert, others = _seal_certificates()
    key = platform_seal_key()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as work:
        prepared = Path(work) / "prepared.pdf"
        try:
            pending = pades.prepare_pades(pdf, prepared, cert, others)
            value = key.sign(pending.tbs, padding.PKCS1v15(), hashes.SHA256())
            pades.finish_pades(
                pending,
                prepared,
                value,
                out,
                timestamper=timestamper(),
                validation_context=validation_context(),
            )
        except SigningTransientError as error:
            raise SealTransientError(error.message) from error
        except SigningFailed as error:
            raise SealConfigurationError(
                gettext("Le cachet de la plateforme n'a pas pu être apposé : %(error)s")
                % {"error": error.message}
            ) from error


def seal_as_pdfa(draft: Path, out: Path) -> None:
    """Make a PDF the platform drew (reportlab, possibly with pages of an accepted upload)
    a signing-ready PDF/A-2b — the acts' Ghostscript path, claim checked — and seal it to
    ``out``. Raises what ``convert_to_pdfa`` and :func:`seal_pdf` raise."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.pdfa.") as work:
        pdfa = Path(work) / "pdfa.pdf"
        convert_to_pdfa(draft, DocumentKind.PDF, pdfa, PdfaLevel.A2B)
        seal_pdf(pdfa, out)
