"""Client-side signing (issue 13, item 3b): the practice's software signs on its own token —
a SoftHSM2 store of its own that the platform's processes never load — and posts the
values; the platform verifies them, finishes B-LTA / CAdES as with its own tokens, and
every artefact verifies with tools we did not write. Real workers, TSA, OCSP, LibreOffice.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.client_signing import (
    ALGORITHM,
    RoundNotReady,
    SignatureNotVerified,
    ToSign,
    provide_client_signatures,
    signatures_to_provide,
)
from securact.significations.models import Act, Signification, Step
from securact.significations.outputs import export_outputs
from securact.significations.services import ServiceRefused, wait_until_finished
from securact.signing.errors import TokenUnavailable
from securact.signing.services import (
    intermediate_certificates,
    trust_roots,
    validate_pades_offline,
)
from securact.signing.token import sign_with_token
from securact.vault.models import Vault
from securact.workflow import serving
from tests.documents import samples
from tests.significations import practice_software
from tests.significations.test_serve_end_to_end import BANQUE_TEST

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PYHANKO = Path(sys.executable).with_name("pyhanko")


def _bailiff(identity: Any) -> Bailiff:
    fingerprint = parse_certificate(pem_to_der(Path(identity.cert).read_bytes())).fingerprint
    bailiff = Vault.objects.get(certificate_fingerprint=fingerprint).bailiff
    assert bailiff is not None
    return bailiff


def _practice(identity: Any) -> dict[str, str]:
    practice: dict[str, str] = identity.record["practice_signing"]
    return practice


def _certificate(path: str) -> bytes:
    return pem_to_der(Path(path).read_bytes())


def _serve_client_side(identity: Any, files: list[Path], reference: str) -> Signification:
    bailiff = _bailiff(identity)
    signer = serving.ClientSideSigner.for_bailiff(
        bailiff, Path(_practice(identity)["sign_cert"]).read_bytes()
    )
    served = serving.serve(
        serving.ServeRequest(
            bailiff=bailiff,
            actor_fingerprint=parse_certificate(
                pem_to_der(Path(identity.cert).read_bytes())
            ).fingerprint,
            recipient=Recipient.objects.get(siret=BANQUE_TEST),
            nature=ActNature.objects.get(code="mainlevee"),
            reference=reference,
            files=[serving.FileOnDisk(path, path.name) for path in files],
            source=Signification.Source.EDI,
        ),
        signer,
        timeout=5,
    )
    assert served.signing_refusal is None
    return served.signification


def _round(signification_id: int, kind: str, timeout: float = 240) -> list[ToSign]:
    """What the practice's software is asked to sign, once the worker prepared ``kind``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = signatures_to_provide(signification_id)
        if items and all(item.kind == kind for item in items):
            return items
        step = Step.objects.get(signification_id=signification_id, name=Step.Name.SIGN)
        assert step.state != Step.State.FAILED, step.error
        time.sleep(0.2)
    raise AssertionError(f"round {kind} not prepared in {timeout} s")


def _signed_by_practice(
    identity: Any, items: list[ToSign], mechanism: str = "CKM_SHA256_RSA_PKCS"
) -> dict[tuple[int, str], bytes]:
    """The practice's software signs on its token (a process of its own)."""
    practice = _practice(identity)
    answer = practice_software.run(
        practice,
        _certificate(practice["sign_cert"]),
        [
            {
                "id": f"{item.act_id}:{item.kind}",
                "signed_attributes": item.signed_attributes_base64,
                "digest": item.digest_base64,
            }
            for item in items
        ],
        mechanism,
    )
    assert practice["token_label"] in answer["labels"]
    assert "securact-durand" not in answer["labels"]  # the platform's tokens: not there
    return {
        (item.act_id, item.kind): base64.b64decode(answer["values"][f"{item.act_id}:{item.kind}"])
        for item in items
    }


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=180)


def _verify_act(signed: Path, p7s: Path, demo_layout: Any) -> None:
    """The signed PDF (B-LTA, offline and by pyHanko's command line) and its ``.p7s``
    (OpenSSL), as the web path's outputs are verified."""
    report = validate_pades_offline(signed, trust_roots(), intermediate_certificates())
    assert report.ok, report.detail
    trust = demo_layout.trust
    ades = _run(
        str(PYHANKO),
        "sign",
        "adesverify",
        "--executive-summary",
        "--trust",
        str(trust / "roots.pem"),
        "--trust-replace",
        "--other-certs",
        str(trust / "intermediates.pem"),
        str(signed),
    )
    assert ades.returncode == 0, ades.stdout + ades.stderr
    assert ades.stdout.strip().endswith(":VALID"), ades.stdout
    assert _run("qpdf", "--check", str(signed)).returncode == 0
    verified = _run(
        "openssl",
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        str(p7s),
        "-content",
        str(signed),
        "-CAfile",
        str(trust / "roots.pem"),
        "-certfile",
        str(trust / "intermediates.pem"),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    )
    assert verified.returncode == 0, verified.stderr


def test_a_pdf_and_a_docx_signed_by_the_practice_software_verify_as_the_web_path(
    declared_bailiff, acts, workers, tmp_path, demo_layout, smtp_server, sms_gateway
):
    practice = _practice(declared_bailiff)
    practice_cert = _certificate(practice["sign_cert"])
    # The platform cannot reach the practice's token, PIN or not.
    with pytest.raises(TokenUnavailable):
        sign_with_token(
            practice["token_label"],
            practice["pin"],
            parse_certificate(practice_cert).certificate,
            [],
        )
    workers.start(1)
    pdf, docx = acts[0], acts[1]
    signification = _serve_client_side(declared_bailiff, [pdf, docx], "SA-2026-CS01")
    assert signification.signing_mode == Signification.SigningMode.CLIENT
    assert signification.signing_token_label == ""
    assert bytes(signification.signing_certificate) == practice_cert

    first = _round(signification.pk, "pades")
    assert [(item.position, item.kind, item.round) for item in first] == [
        (1, "pades", 1),
        (2, "pades", 1),
    ]
    for item in first:
        assert item.algorithm == ALGORITHM == "sha256WithRSAEncryption"
        assert item.digest == hashlib.sha256(item.signed_attributes).digest()
        assert base64.b64decode(item.digest_base64).hex() == item.digest_hex
        attributes = cms.CMSAttributes.load(item.signed_attributes)
        assert {a["type"].native for a in attributes} >= {"content_type", "message_digest"}
    provided = provide_client_signatures(
        signification.pk, _signed_by_practice(declared_bailiff, first)
    )
    assert provided.stored == sorted((item.act_id, "pades") for item in first)
    assert (provided.already, provided.remaining) == ([], 0)

    second = _round(signification.pk, "cades")
    assert [(item.position, item.round) for item in second] == [(1, 2), (2, 2)]
    # The other way the how-to gives: CKM_RSA_PKCS over the DigestInfo of the digest.
    values = _signed_by_practice(declared_bailiff, second, "CKM_RSA_PKCS")
    assert len(provide_client_signatures(signification.pk, values).stored) == 2

    assert wait_until_finished(signification.pk, 300)
    signification.refresh_from_db()
    assert signification.state == Signification.State.DONE, list(
        signification.steps.values_list("name", "state", "error")
    )
    outputs = export_outputs(signification.pk, tmp_path / "out")
    for act in signification.acts.all():
        signed = Path(outputs[act.deposited_name])
        _verify_act(signed, Path(outputs[f"{act.deposited_name}.p7s"]), demo_layout)
    # The deposit certificate, sealed by the platform, as on the web path.
    xmlsec = _run(
        "xmlsec1",
        "--verify",
        "--trusted-pem",
        str(demo_layout.trust / "roots.pem"),
        "--untrusted-pem",
        str(demo_layout.trust / "intermediates.pem"),
        "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        "--id-attr:Id",
        "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
        outputs["attestation_depot.xml"],
    )
    assert xmlsec.returncode == 0, xmlsec.stderr


def _flipped(value: bytes) -> bytes:
    return value[:10] + bytes([value[10] ^ 0x01]) + value[11:]


def _waiting_unsigned(signification: Signification) -> None:
    assert not Act.objects.filter(
        signification=signification, pades_signature__isnull=False
    ).exists()
    step = Step.objects.get(signification=signification, name=Step.Name.SIGN)
    assert step.state == Step.State.WAITING


def test_wrong_values_are_refused_a_repeat_is_harmless_and_a_killed_worker_resumes(
    declared_bailiff, workers, tmp_path, demo_layout, smtp_server, sms_gateway
):
    files = [samples.ghostscript_pdf(tmp_path / f"acte-{n}.pdf") for n in (1, 2)]
    workers.start(1)
    signification = _serve_client_side(declared_bailiff, files, "SA-2026-CS02")
    one, two = signification.acts.order_by("position")
    with pytest.raises(RoundNotReady, match="pas encore préparée"):
        provide_client_signatures(signification.pk, {(one.pk, "cades"): b"\x00" * 256})

    first = _round(signification.pk, "pades")
    right = _signed_by_practice(declared_bailiff, first)
    # A real signature over the right bytes, by another key: Durand's key on the platform's
    # token, not the one the signification's certificate names.
    other_key = sign_with_token(
        declared_bailiff.record["token_label"],
        declared_bailiff.record["pin"],
        parse_certificate(_certificate(declared_bailiff.record["sign_cert"])).certificate,
        [first[0].signed_attributes],
    )[0]
    with pytest.raises(SignatureNotVerified) as refused:
        provide_client_signatures(
            signification.pk,
            {(one.pk, "pades"): other_key, (two.pk, "pades"): right[two.pk, "pades"]},
        )
    assert refused.value.acts == [(one.pk, "pades")]
    assert "l'acte n° 1 « acte-1.pdf » (PAdES)" in refused.value.message
    assert "acte-2.pdf" not in refused.value.message
    _waiting_unsigned(signification)  # all or nothing: act 2's good value not kept either
    with pytest.raises(SignatureNotVerified, match=r"acte-2\.pdf"):
        provide_client_signatures(
            signification.pk, {(two.pk, "pades"): _flipped(right[two.pk, "pades"])}
        )
    _waiting_unsigned(signification)

    provided = provide_client_signatures(signification.pk, right)
    assert len(provided.stored) == 2
    again = provide_client_signatures(signification.pk, right)
    assert (again.stored, again.already) == ([], sorted(right))

    # The worker dies (kill -9) while it finishes the PAdES round; another one takes over.
    sign_step = Step.objects.filter(signification=signification, name=Step.Name.SIGN)
    deadline = time.monotonic() + 30
    while sign_step.get().state != Step.State.RUNNING and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sign_step.get().state == Step.State.RUNNING
    workers.kill_all()
    workers.start(1)
    second = _round(signification.pk, "cades")
    assert (
        len(
            provide_client_signatures(
                signification.pk, _signed_by_practice(declared_bailiff, second)
            ).stored
        )
        == 2
    )
    assert wait_until_finished(signification.pk, 300)
    signification.refresh_from_db()
    assert signification.state == Signification.State.DONE
    outputs = export_outputs(signification.pk, tmp_path / "out")
    for act in signification.acts.all():
        signed = Path(outputs[act.deposited_name])
        report = validate_pades_offline(signed, trust_roots(), intermediate_certificates())
        assert report.ok, report.detail
        _verify_act(signed, Path(outputs[f"{act.deposited_name}.p7s"]), demo_layout)
    assert Act.objects.get(pk=one.pk).pades_signature == right[one.pk, "pades"]


def test_a_refused_certificate_leaves_nothing_behind(declared_bailiff, identities, service_dirs):
    """Submission refuses, in French, a signing certificate that is not a valid qualified
    certificate of the bailiff who signs — before anything is recorded."""
    bailiff = _bailiff(declared_bailiff)
    practice = _practice(declared_bailiff)
    refused = {
        "another bailiff's": (
            identities["bailiff-martin"].record["sign_cert"],
            "n'appartient pas au commissaire de justice qui signe",
        ),
        "expired": (practice["sign_cert_expired"], "a expiré"),
        "revoked": (practice["sign_cert_revoked"], "révoqué"),
        "authentication": (declared_bailiff.cert, "non-répudiation"),
    }
    for case, (path, reason) in refused.items():
        with pytest.raises(ServiceRefused) as refusal:
            serving.ClientSideSigner.for_bailiff(bailiff, Path(path).read_bytes())
        assert reason in refusal.value.message, case
        assert refusal.value.field == "signing_certificate"
    with pytest.raises(ServiceRefused, match="illisible"):
        serving.ClientSideSigner.for_bailiff(bailiff, b"pas un certificat")
    assert not Signification.objects.exists()
    # The bailiff's valid certificates are accepted, in PEM or DER.
    for path in (practice["sign_cert"], declared_bailiff.record["sign_cert"]):
        pem = Path(path).read_bytes()
        for given in (pem, pem_to_der(pem)):
            signer = serving.ClientSideSigner.for_bailiff(bailiff, given)
            assert signer.certificate.dump() == pem_to_der(pem)
