"""PAdES signatures of the PDFs and detached CAdES (`.p7s`) signatures, offline.

PAdES: pyHanko's AdES engine (ETSI EN 319 102-1, § 5.6.3 long-term validation) with the
revocation data embedded in the PDF only (no fetching) and revocation data required for
every certificate: a B-LTA signature passes from its DSS and document timestamps. After the
last signature, pyHanko's difference analysis must find nothing but DSS updates and
document timestamps.

CAdES: pyHanko's detached CMS validation over the signed member (the `.p7s` name without
its suffix), with the signature timestamp required (CAdES-T); the chains are validated at
the time that timestamp attests.
"""

from __future__ import annotations

import asyncio
import io

from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.diff_analysis import ModificationLevel
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
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from securact_verifier.bundle import Bundle, Check, failed, passed
from securact_verifier.timestamps import StampError, common_name, offline_context, token_time
from securact_verifier.trust import Anchors

# After the last approval signature, only what PAdES B-LTA adds: DSS updates, document
# timestamps (pyHanko's difference analysis says which).
_AFTER_LAST_SIGNATURE = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


def _offline_spec(anchors: Anchors) -> PdfSignatureValidationSpec:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=anchors.roots),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(known_certs=list(anchors.others)),
        )
    )


def _is_doc_timestamp(signature: EmbeddedPdfSignature) -> bool:
    return bool(signature.sig_object.get("/Type") == "/DocTimeStamp")


async def _pades(data: bytes, spec: PdfSignatureValidationSpec) -> tuple[bool, str]:
    """Whether every signature of the PDF passes, and what was found (French)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = list(reader.embedded_signatures)
    approvals = [s for s in signatures if not _is_doc_timestamp(s)]
    if not approvals:
        return False, "aucune signature dans le PDF"
    problems = []
    signers = []
    last_level = None
    for signature in approvals:
        result = await ades_lta_validation(signature, spec)
        status = result.api_status
        last_level = status.modification_level if status is not None else None
        signer = common_name(status.signing_cert) if status is not None else "?"
        if result.ades_subindic != AdESPassed.OK or status is None or not status.bottom_line:
            indication = result.ades_subindic.status.name
            problems.append(
                f"signature de {signer} : {indication}/{result.ades_subindic.standard_name}"
                + (f" ({result.failure_msg})" if result.failure_msg else "")
            )
        else:
            when = result.best_signature_time.strftime("%d/%m/%Y %H:%M:%S %Z")
            signers.append(f"{signer} (existante le {when})")
    if last_level not in _AFTER_LAST_SIGNATURE:
        problems.append(
            "le PDF a été modifié après sa dernière signature (autre chose que des données "
            f"de validation et des horodatages : {last_level})"
        )
    if problems:
        return False, " ; ".join(problems)
    timestamps = len(signatures) - len(approvals)
    return True, ", ".join(signers) + f" ; {timestamps} horodatage(s) de document"


def check_pdf(name: str, data: bytes, anchors: Anchors) -> Check:
    try:
        ok, outcome = asyncio.run(_pades(data, _offline_spec(anchors)))
    except Exception as exc:  # a damaged PDF fails in many ways: all are an ÉCHEC
        return failed(name, f"PDF ou signature illisible ({type(exc).__name__} : {exc})")
    if ok:
        return passed(name, f"signature PAdES B-LTA valide : {outcome}")
    return failed(name, f"signature PAdES : {outcome}")


def _signature_timestamp(signed_data: cms.SignedData) -> cms.ContentInfo | None:
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise StampError(f"{len(signer_infos)} signataires, un seul attendu")
    for attribute in signer_infos[0]["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            token: cms.ContentInfo = attribute["values"][0]
            return token
    return None


async def _cades(data: bytes, p7s: bytes, anchors: Anchors) -> tuple[bool, str]:
    content_info = cms.ContentInfo.load(p7s)
    if content_info["content_type"].native != "signed_data":
        return False, "ce n'est pas une signature CMS (SignedData)"
    signed_data = content_info["content"]
    if signed_data["encap_content_info"]["content"].native is not None:
        return False, "signature attachée, une signature détachée était attendue"
    token = _signature_timestamp(signed_data)
    if token is None:
        return False, "pas d'horodatage de signature (CAdES-T attendu)"
    context = offline_context(anchors, token_time(token))
    status = await async_validate_detached_cms(
        data, signed_data, signer_validation_context=context, ts_validation_context=context
    )
    signer = common_name(status.signing_cert)
    if not status.intact:
        return False, "le document ne correspond pas à la signature (empreinte différente)"
    if not status.valid:
        return False, f"signature de {signer} invalide (cryptographie)"
    if status.trust_problem_indic is not None:
        return False, f"le certificat de {signer} ne remonte pas aux autorités de confiance"
    stamp = status.timestamp_validity
    if stamp is None or not status.bottom_line:
        return False, "l'horodatage de la signature ne vérifie pas"
    return True, f"{signer}, horodatée le {stamp.timestamp.strftime('%d/%m/%Y %H:%M:%S %Z')}"


def check_p7s(name: str, bundle: Bundle, anchors: Anchors) -> Check:
    target = name.removesuffix(".p7s")
    data = bundle.members.get(target)
    if data is None:
        return failed(name, f"le document signé {target} est absent du dossier")
    try:
        ok, outcome = asyncio.run(_cades(data, bundle.members[name], anchors))
    except Exception as exc:  # a damaged .p7s fails in many ways: all are an ÉCHEC
        return failed(name, f"signature CAdES illisible ({type(exc).__name__} : {exc})")
    if ok:
        return passed(name, f"signature CAdES détachée de {target} valide : {outcome}")
    return failed(name, f"signature CAdES : {outcome}")
