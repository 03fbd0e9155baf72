"""The detached CAdES ``.p7s`` of a signed act: DER, verified by openssl against the
signed PDF and the demo root, and by pyHanko offline (integrity, chain, timestamp)."""

from __future__ import annotations

import subprocess

from asn1crypto import cms

from securact.signing import services
from tests.signing.conftest import SignedAct


def test_openssl_verifies_the_p7s_against_the_signed_pdf(
    signed_act: SignedAct, demo_layout
) -> None:
    done = subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(signed_act.p7s), "-content", str(signed_act.pdf),
            "-CAfile", str(demo_layout.trust / "roots.pem"),
            "-certfile", str(demo_layout.trust / "intermediates.pem"),
            "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Verification successful" in done.stderr


def test_p7s_is_detached_cades_with_a_signature_timestamp(signed_act: SignedAct) -> None:
    signed_data = cms.ContentInfo.load(signed_act.p7s.read_bytes())["content"]
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    signer_info = signed_data["signer_infos"][0]
    signed = {attr["type"].native for attr in signer_info["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_time", "signing_certificate_v2"} <= signed
    unsigned = {attr["type"].native for attr in signer_info["unsigned_attrs"]}
    assert "signature_time_stamp_token" in unsigned


def test_pyhanko_validates_the_p7s_offline(signed_act: SignedAct, roots, chain, pki_down) -> None:
    report = services.validate_cades_offline(signed_act.p7s, signed_act.pdf, roots, chain)
    assert report.ok, report
    assert "Claire DURAND" in report.signer
    assert report.signature_timestamp is not None
