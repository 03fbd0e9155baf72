"""F4 end to end: a PDF, a DOCX and an ODT served through real worker processes with the
bailiff's token, then every output verified with tools we did not write."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from securact.evidence.checking import check_tree
from securact.evidence.journal import entries_for
from securact.significations.archive import verify_archive
from securact.significations.models import Signification
from securact.signing.services import (
    intermediate_certificates,
    trust_roots,
    validate_pades_offline,
)
from securact.vault.models import StoredFile
from securact.workflow.cli import ServeRequest, serve

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BANQUE_TEST = "99999001300016"


def _serve(bailiff, acts, tmp_path, reference="SA-2026-0001", nature="mainlevee"):
    pin_file = tmp_path / "pin"
    pin_file.write_text(bailiff.record["pin"])
    pin_file.chmod(0o600)
    return serve(
        ServeRequest(
            bailiff_cert=Path(bailiff.cert),
            recipient_siret=BANQUE_TEST,
            nature_code=nature,
            reference=reference,
            pin_file=pin_file,
            files=acts,
            timeout=240,
        )
    )


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_three_acts_served_and_verified_independently(
    declared_bailiff, acts, workers, tmp_path, demo_layout, smtp_server, sms_gateway
):
    workers.start(2)
    result = _serve(declared_bailiff, acts, tmp_path)
    assert result.refusal == ""
    assert result.succeeded, result.as_dict()
    signification = Signification.objects.get(pk=result.signification_id)
    assert signification.state == Signification.State.DONE
    roots, inter = trust_roots(), intermediate_certificates()
    sign_ca = tmp_path / "intermediates.pem"
    sign_ca.write_bytes((demo_layout.trust / "intermediates.pem").read_bytes())
    for act in signification.acts.all():
        # The work folder is gone once archived (issue 9): the outputs come from the vault.
        signed = Path(result.paths[act.deposited_name])
        with pikepdf.open(signed) as pdf:
            assert pdf.open_metadata().pdfa_status == "2B"
        assert _run("qpdf", "--check", str(signed)).returncode == 0
        report = validate_pades_offline(signed, roots, inter)
        assert report.ok, report.detail
        cms = _run(
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            result.paths[f"{act.deposited_name}.p7s"],
            "-content",
            str(signed),
            "-CAfile",
            str(demo_layout.trust / "roots.pem"),
            "-certfile",
            str(sign_ca),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        )
        assert cms.returncode == 0, cms.stderr
    xml = result.paths["attestation_depot.xml"]
    xmlsec = _run(
        "xmlsec1",
        "--verify",
        "--trusted-pem",
        str(demo_layout.trust / "roots.pem"),
        "--untrusted-pem",
        str(sign_ca),
        "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        "--id-attr:Id",
        "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
        xml,
    )
    assert xmlsec.returncode == 0, xmlsec.stderr
    archive = Path(next(p for name, p in result.paths.items() if name.endswith(".zip")))
    assert sorted(n for n in result.paths if n.endswith(".pdf")) == sorted(
        a.deposited_name for a in signification.acts.all()
    )
    assert archive.name.startswith("BANQUE_TEST__SA-2026-0001_")
    assert verify_archive(archive) == []
    assert (
        StoredFile.objects.filter(
            signification_id=signification.pk, kind=StoredFile.Kind.ACT
        ).count()
        == 3
    )
    assert len(smtp_server[1].messages) == 1
    assert (
        "SA-2026-0001"
        in smtp_server[1].messages[0].get_payload(0).get_payload(decode=True).decode()
    )
    assert [r["authorized"] for r in sms_gateway.received] == [True]
    assert check_tree().problems == []
    actions = list(entries_for(signification.pk).values_list("action", flat=True))
    assert actions[0] == "signification.submitted"
    assert actions.count("signification.deposited") == 3
    assert "signification.archived" in actions
