"""``securact demo_pki`` on a demo PKI made before an identity was added to
``identities.yml`` (the EDI software's certificate, issue 13): the missing client
certificate is issued by the same authentication CA, its record added, nothing else
changed."""

from __future__ import annotations

import json
import shutil

import yaml
from cryptography import x509 as cx509

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.pki.demo_pki import DemoLayout, add_missing_identities


def test_an_older_demo_pki_gets_the_identities_added_since(demo_layout, tmp_path):
    older = DemoLayout(tmp_path / "demo")
    shutil.copytree(demo_layout.root, older.root, symlinks=True)
    records = json.loads(older.demo_json.read_text(encoding="utf-8"))
    kept = [r for r in records if r["label"] != "edi-durand-martin"]
    older.demo_json.write_text(json.dumps(kept), encoding="utf-8")
    config = yaml.safe_load(older.config.read_text(encoding="utf-8"))
    arch = config["pki-architectures"]["securact"]
    del arch["certs"]["edi-durand-martin"], arch["entities"]["edi-durand-martin"]
    older.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (older.certs / "edi-durand-martin.cert.pem").unlink()

    assert add_missing_identities(older) == ["edi-durand-martin"]
    assert add_missing_identities(older) == []  # up to date: nothing more

    after = json.loads(older.demo_json.read_text(encoding="utf-8"))
    assert [r["label"] for r in after] == [r["label"] for r in kept] + ["edi-durand-martin"]
    record = after[-1]
    assert record["role"] == "edi"
    assert (older.certs / "edi-durand-martin.key.pem").stat().st_mode & 0o777 == 0o600
    pem = (older.certs / "edi-durand-martin.cert.pem").read_bytes()
    info = parse_certificate(pem_to_der(pem))
    assert info.practice_code == "9991"
    assert info.holder == "Logiciel EDI SCP Durand & Martin"
    # Issued by the demo's authentication CA (its signature checked by cryptography).
    issuer_pem = (demo_layout.certs / "bailiff-durand.cert.pem").read_bytes()
    bailiff = cx509.load_pem_x509_certificate(issuer_pem)
    software = cx509.load_pem_x509_certificate(pem)
    assert software.issuer == bailiff.issuer
    intermediates = cx509.load_pem_x509_certificates(
        (demo_layout.trust / "intermediates.pem").read_bytes()
    )
    auth_ca = next(c for c in intermediates if c.subject == software.issuer)
    software.verify_directly_issued_by(auth_ca)
