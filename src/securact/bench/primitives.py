"""The primitives alone, on the same files and with the same token and TSA as the served
acts, each timed ``repeat`` times in this process after one uncounted warm-up run (no worker runs
meanwhile):

* Ghostscript PDF → PDF/A-2b: ``convert_to_pdfa`` of the one-page PDF (Ghostscript, claim
  checks, signing-ready), exactly what the convert step runs for a PDF;
* pyHanko PAdES B-LTA: ``prepare_pades`` + the token signing the signed attributes (one
  PKCS#11 login, as the bailiff's session does) + ``finish_pades`` (signature timestamp,
  OCSP/CRL, document timestamp), on that PDF/A;
* the detached CAdES ``.p7s`` the sign step also makes (prepare + token + finish);
* the deposit certificate's seal (``sealed_deposit_certificate``: XAdES-T, one TSA request),
  on the data of a one-act deposit;
* warm unoserver DOCX → PDF/A-2b (``convert_office``, the call the convert step makes), and
  DOCX → plain PDF through the same warm LibreOffice;
* cold ``soffice --headless --convert-to pdf``: a new LibreOffice process per document, on
  one existing profile (created by a first, untimed run whose time is reported apart).
"""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from unoserver.client import UnoClient

from securact.documents.kinds import DocumentKind, PdfaLevel
from securact.documents.services import convert_to_pdfa
from securact.documents.unoserver import convert_office
from securact.evidence.deposit_certificate import (
    ActNatureInfo,
    CertificateIdentity,
    DepositCertificateData,
    DepositedFile,
    PracticeInfo,
    RecipientInfo,
    sealed_deposit_certificate,
)
from securact.signing import cades, pades
from securact.signing.services import timestamper, validation_context
from securact.signing.token import sign_with_token
from securact.workflow.steps import signing_chain

SOFFICE = "soffice"


@dataclass(frozen=True)
class Signer:
    """The bailiff's signing key: token label, PIN, certificate."""

    token_label: str
    pin: str
    certificate: x509.Certificate

    def sign(self, tbs: bytes) -> bytes:
        return sign_with_token(self.token_label, self.pin, self.certificate, [tbs])[0]


def clock(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def ghostscript_runs(pdf: Path, scratch: Path, repeat: int) -> tuple[list[float], Path]:
    """Returns the durations and one of the PDF/A files made (for the signing runs)."""
    times, outputs = [], []
    for run in range(1, repeat + 1):
        out = scratch / f"gs-{run}.pdfa.pdf"
        times.append(clock(partial(convert_to_pdfa, pdf, DocumentKind.PDF, out)))
        outputs.append(out)
    return times, outputs[0]


def pades_runs(pdfa: Path, scratch: Path, signer: Signer, repeat: int) -> dict[str, Any]:
    parts: dict[str, list[float]] = {"prepare": [], "token": [], "finish": [], "total": []}
    chain = signing_chain()
    signed = scratch / "signed-1.pdf"
    for run in range(1, repeat + 1):
        prepared, out = scratch / f"prepared-{run}.pdf", scratch / f"signed-{run}.pdf"
        started = time.perf_counter()
        pending = pades.prepare_pades(pdfa, prepared, signer.certificate, chain)
        prepared_at = time.perf_counter()
        value = signer.sign(pending.tbs)
        signed_at = time.perf_counter()
        pades.finish_pades(
            pending,
            prepared,
            value,
            out,
            timestamper=timestamper(),
            validation_context=validation_context(),
        )
        finished_at = time.perf_counter()
        parts["prepare"].append(prepared_at - started)
        parts["token"].append(signed_at - prepared_at)
        parts["finish"].append(finished_at - signed_at)
        parts["total"].append(finished_at - started)
    return {"parts": parts, "signed": signed}


def cades_runs(signed: Path, scratch: Path, signer: Signer, repeat: int) -> list[float]:
    chain = signing_chain()
    times = []
    for run in range(1, repeat + 1):
        started = time.perf_counter()
        pending = cades.prepare_cades(signed, signer.certificate, chain)
        value = signer.sign(pending.tbs)
        cades.finish_cades(pending, value, scratch / f"cades-{run}.p7s", timestamper=timestamper())
        times.append(time.perf_counter() - started)
    return times


TSA_PROBE = hashlib.sha256(b"securact bench").digest()


def _one_timestamp() -> None:
    asyncio.run(timestamper().async_timestamp(TSA_PROBE, "sha256"))


def _certificate_data(signer: Signer) -> DepositCertificateData:
    return DepositCertificateData(
        platform="Securact (banc d'essai)",
        signification_id=1,
        deposit_reference="BENCH-SEAL",
        practice=PracticeInfo("BENCH", "Étude du banc d'essai"),
        bailiff_certificate=CertificateIdentity.from_der(signer.certificate.dump()),
        recipient=RecipientInfo("BANQUE TEST", "99999001300016"),
        nature=ActNatureInfo("mainlevee", "Mainlevée"),
        files=(DepositedFile("BENCH_SEAL_20261204_120000_01.pdf", 12345, "0" * 64, "2B"),),
        deposited_at=datetime.now(UTC),
    )


def seal_runs(signer: Signer, repeat: int) -> list[float]:
    """The deposit certificate step's primitive: build, seal and timestamp its XML."""
    data = _certificate_data(signer)
    return [clock(partial(sealed_deposit_certificate, data)) for _ in range(repeat)]


def tsa_runs(repeat: int) -> list[float]:
    """One RFC 3161 request to the TSA (B-LTA finish makes two, the .p7s and the deposit
    certificate's seal one each)."""
    return [clock(_one_timestamp) for _ in range(repeat)]


def warm_office_runs(docx: Path, scratch: Path, repeat: int) -> dict[str, list[float]]:
    client = UnoClient(server="127.0.0.1", port=str(settings.SECURACT_UNOSERVER_PORT))
    pdfa, plain = [], []
    for run in range(1, repeat + 1):
        to_pdfa = partial(
            convert_office,
            docx,
            scratch / f"warm-{run}.pdfa.pdf",
            PdfaLevel.A2B,
            kind=DocumentKind.DOCX,
        )
        pdfa.append(clock(to_pdfa))
        to_pdf = partial(
            client.convert,
            inpath=str(docx),
            outpath=str(scratch / f"warm-{run}.pdf"),
            convert_to="pdf",
        )
        plain.append(clock(to_pdf))
    return {"pdfa": pdfa, "pdf": plain}


def docx_pipeline_runs(docx: Path, scratch: Path, repeat: int) -> list[float]:
    """``convert_to_pdfa`` of the DOCX: warm unoserver plus claim checks and signing-ready."""
    times = []
    for run in range(1, repeat + 1):
        out = scratch / f"docx-{run}.pdfa.pdf"
        times.append(clock(partial(convert_to_pdfa, docx, DocumentKind.DOCX, out)))
    return times


def cold_office_runs(docx: Path, scratch: Path, repeat: int) -> dict[str, Any]:
    profile = scratch / "soffice-profile"
    outdir = scratch / "cold"

    def convert() -> None:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        produced = outdir / f"{docx.stem}.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise RuntimeError(f"soffice produced nothing for {docx}")
        produced.unlink()

    first = clock(convert)  # creates the profile
    return {"first_run_new_profile": first, "runs": [clock(convert) for _ in range(repeat)]}


def measure(pdf: Path, docx: Path, scratch: Path, signer: Signer, repeat: int) -> dict[str, Any]:
    """Each warm primitive runs ``repeat + 1`` times and its first run is dropped, as the
    served acts are preceded by an uncounted warm-up act (first TSA request, first OCSP
    fetch, first document in LibreOffice)."""
    scratch.mkdir(parents=True, exist_ok=True)
    ghostscript, pdfa = ghostscript_runs(pdf, scratch, repeat + 1)
    signing = pades_runs(pdfa, scratch, signer, repeat + 1)
    warm = warm_office_runs(docx, scratch, repeat + 1)
    cold = cold_office_runs(docx, scratch, repeat)
    return {
        "ghostscript_pdfa": ghostscript[1:],
        "pades_b_lta": {part: times[1:] for part, times in signing["parts"].items()},
        "cades_p7s": cades_runs(signing["signed"], scratch, signer, repeat + 1)[1:],
        "tsa_round_trip": tsa_runs(repeat + 1)[1:],
        "deposit_certificate_seal": seal_runs(signer, repeat + 1)[1:],
        "unoserver_warm_pdfa": warm["pdfa"][1:],
        "unoserver_warm_pdf": warm["pdf"][1:],
        "docx_convert_to_pdfa": docx_pipeline_runs(docx, scratch, repeat + 1)[1:],
        "soffice_cold_pdf": cold["runs"],
        "soffice_first_run_new_profile": cold["first_run_new_profile"],
        "warm_up_runs_dropped": {
            "ghostscript_pdfa": ghostscript[0],
            "pades_b_lta": signing["parts"]["total"][0],
            "unoserver_warm_pdfa": warm["pdfa"][0],
        },
    }
