"""Offline verification of what we signed, as a court expert would do it in twenty years:
no network, only the trust anchors and what the files carry.

PAdES: pyHanko's AdES engine (ETSI EN 319 102-1) with ``LOCAL_ONLY`` revocation gathering
and revocation information required for every certificate; a B-LTA signature then passes
from the data embedded in its DSS and the document timestamp (B-LT without the document
timestamp stays INDETERMINATE for lack of proof of existence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms, x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import StandardCMSSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager


@dataclass(frozen=True)
class ValidationReport:
    """The verdict on one signature, with what a person needs to read it."""

    ok: bool
    # ETSI EN 319 102-1 status (PASSED, INDETERMINATE, FAILED) and subindication (OK,
    # HASH_FAILURE, NO_POE…); FAILED/UNREADABLE or FAILED/NO_SIGNATURE when the file
    # cannot even be examined.
    indication: str
    subindication: str
    signer: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    best_signature_time: datetime | None = None
    signature_timestamp: datetime | None = None
    document_timestamps: int = 0
    detail: str = ""


def _offline_spec(
    roots: list[x509.Certificate], intermediates: list[x509.Certificate]
) -> PdfSignatureValidationSpec:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(known_certs=list(intermediates)),
        )
    )


def _approval_signatures(reader: PdfFileReader) -> list[EmbeddedPdfSignature]:
    return [s for s in reader.embedded_signatures if s.sig_object.get("/Type") != "/DocTimeStamp"]


def _document_timestamp_count(reader: PdfFileReader) -> int:
    return sum(
        1 for s in reader.embedded_signatures if s.sig_object.get("/Type") == "/DocTimeStamp"
    )


async def _validate_embedded(
    signature: EmbeddedPdfSignature, spec: PdfSignatureValidationSpec, timestamps: int
) -> ValidationReport:
    result = await ades_lta_validation(signature, spec)
    status = result.api_status
    ts_status = result.signature_timestamp_status
    ts_time = None
    if ts_status is not None and ts_status.api_status is not None:
        ts_time = getattr(ts_status.api_status, "timestamp", None)
    ok = result.ades_subindic == AdESPassed.OK and status is not None and status.bottom_line
    return ValidationReport(
        ok=ok,
        indication=result.ades_subindic.status.name,
        subindication=str(result.ades_subindic.standard_name),
        signer=status.signing_cert.subject.human_friendly if status else "",
        intact=bool(status and status.intact),
        valid=bool(status and status.valid),
        trusted=bool(status and status.trusted),
        best_signature_time=result.best_signature_time,
        signature_timestamp=ts_time,
        document_timestamps=timestamps,
        detail=result.failure_msg or (status.summary() if status else ""),
    )


async def async_validate_pades_offline(
    pdf: Path, roots: list[x509.Certificate], intermediates: list[x509.Certificate]
) -> ValidationReport:
    spec = _offline_spec(roots, intermediates)
    try:
        with pdf.open("rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            signatures = _approval_signatures(reader)
            if len(signatures) != 1:
                return ValidationReport(
                    ok=False,
                    indication="FAILED",
                    subindication="NO_SIGNATURE" if not signatures else "SEVERAL_SIGNATURES",
                    detail=f"{len(signatures)} signatures found, one expected",
                )
            timestamps = _document_timestamp_count(reader)
            return await _validate_embedded(signatures[0], spec, timestamps)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        # A damaged file does not even parse: that is a failed verification, not a crash.
        return ValidationReport(
            ok=False, indication="FAILED", subindication="UNREADABLE", detail=repr(error)
        )


def _cades_verdict(status: StandardCMSSignatureStatus) -> tuple[str, str]:
    """ETSI-style status and subindication for a CAdES-T signature."""
    if not status.intact:
        return "FAILED", "HASH_FAILURE"
    if not status.valid:
        return "FAILED", "SIG_CRYPTO_FAILURE"
    problem = status.trust_problem_indic
    if problem is not None:
        return problem.status.name, str(problem.standard_name)
    timestamp = status.timestamp_validity
    if timestamp is None:
        return "INDETERMINATE", "NO_POE"  # a .p7s without signature timestamp
    if not status.bottom_line:  # the timestamp itself does not verify or is not trusted
        return "INDETERMINATE", "TIMESTAMP_ORDER_FAILURE" if timestamp.intact else "NO_POE"
    return "PASSED", "OK"


async def async_validate_cades_offline(
    p7s: Path,
    data: Path,
    roots: list[x509.Certificate],
    intermediates: list[x509.Certificate],
) -> ValidationReport:
    """Integrity, signer trust chain and signature timestamp of a detached ``.p7s``.

    A ``.p7s`` carries no revocation data of its own (the PDF's DSS does), so revocation
    is not checked here: ``trusted`` means "chains to a root".
    """
    context = ValidationContext(trust_roots=roots, other_certs=intermediates, allow_fetching=False)
    try:
        signed_data = cms.ContentInfo.load(p7s.read_bytes())["content"]
        with data.open("rb") as content:
            status = await async_validate_detached_cms(content, signed_data, context)
    except (ValueError, KeyError, TypeError) as error:
        return ValidationReport(
            ok=False, indication="FAILED", subindication="UNREADABLE", detail=repr(error)
        )
    timestamp = status.timestamp_validity
    indication, subindication = _cades_verdict(status)
    return ValidationReport(
        ok=indication == "PASSED",
        indication=indication,
        subindication=subindication,
        signer=status.signing_cert.subject.human_friendly,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        signature_timestamp=timestamp.timestamp if timestamp is not None else None,
        detail=status.summary(),
    )
