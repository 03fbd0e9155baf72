"""A practice with the reference client (issue 13, "Done when"): ``securact-edi submit`` serves
twenty acts over real mutual TLS (gunicorn, a worker), signing them client-side on the
practice's own SoftHSM token — a store the platform's processes never load — then downloads
each archive; every signed act verifies (pyHanko offline B-LTA, ``openssl cms -verify``),
every archive matches its manifest. Run again, the same command serves nothing twice."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from securact.edi.models import Batch, BatchItem
from securact.evidence.models import JournalEntry
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.archive import verify_archive
from securact.significations.models import Signification
from securact.signing.services import (
    intermediate_certificates,
    trust_roots,
    validate_pades_offline,
)
from securact.vault.edi_certificates import register
from securact.vault.models import StoredFile
from securact.vault.services import declare_vault
from securact.vault.storage import open_blob
from tests.api.test_edi_client_bank import edi_command
from tests.documents import samples
from tests.edi.conftest import BANQUE_TEST
from tests.significations.test_client_side_signing import _bailiff

pytestmark = [pytest.mark.slow, pytest.mark.tls, pytest.mark.django_db(transaction=True)]

ACTS = 20


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, env=env
    )


def test_twenty_acts_served_with_the_reference_client_signing_on_the_practice_token(
    live_site, identities, demo_layout, tmp_path
):
    durand = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(durand.cert).read_bytes())))
    actor = parse_certificate(pem_to_der(Path(durand.cert).read_bytes())).fingerprint
    software = identities["edi-durand-martin"]
    register(Path(software.cert).read_bytes(), by=_bailiff(durand), actor=actor)
    token = durand.record["practice_signing"]
    folder = tmp_path / "actes"
    folder.mkdir()
    act = samples.ghostscript_pdf(folder / "modele.pdf").read_bytes()
    lines = ["reference;siret;nature;fichiers;commissaire"]
    for n in range(1, ACTS + 1):
        (folder / f"acte-{n:02d}.pdf").write_bytes(act)
        lines.append(f"EDI-{n:02d};{BANQUE_TEST};mainlevee;acte-{n:02d}.pdf;Claire DURAND")
    manifest = folder / "lot.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pin_file = tmp_path / "pin"
    pin_file.write_text(token["pin"])
    pin_file.chmod(0o600)
    command = [
        *edi_command(live_site, software, demo_layout, tmp_path),
        "submit",
        str(manifest),
        "--pkcs11-module",
        os.environ.get("SECURACT_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so"),
        "--token-label",
        token["token_label"],
        "--pin-file",
        str(pin_file),
        "--signing-cert",
        token["sign_cert"],
        "--out",
        str(tmp_path / "sortie"),
    ]
    # The client sees only the practice's own token store.
    env = {**os.environ, "SOFTHSM2_CONF": token["softhsm_conf"]}

    done = _run(command, env)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    served = list(Signification.objects.order_by("reference"))
    assert [s.reference for s in served] == [f"EDI-{n:02d}" for n in range(1, ACTS + 1)]
    assert {(s.state, s.source, s.signing_mode) for s in served} == {("done", "edi", "client")}
    assert set(BatchItem.objects.values_list("state", flat=True)) == {"created"}
    roots, chain = trust_roots(), intermediate_certificates()
    authorities = demo_layout.trust
    for stored in StoredFile.objects.filter(kind=StoredFile.Kind.ACT):
        signed = tmp_path / f"{stored.sha256}.pdf"
        with open_blob(stored.sha256) as blob:
            signed.write_bytes(blob.read())
        report = validate_pades_offline(signed, roots, chain)
        assert report.ok, report.detail
    for signification in served:
        archive = tmp_path / "sortie" / signification.reference / "signification.zip"
        assert verify_archive(archive) == [], signification.reference
        with zipfile.ZipFile(archive) as opened:
            names = opened.namelist()
            pdf = next(n for n in names if n.endswith(".pdf") and not n.endswith("REMISE.pdf"))
            p7s = next(n for n in names if n.endswith(".p7s"))
            opened.extract(pdf, tmp_path / "zip" / signification.reference)
            opened.extract(p7s, tmp_path / "zip" / signification.reference)
        base = tmp_path / "zip" / signification.reference
        cms = subprocess.run(
            [
                "openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", str(base / p7s), "-content", str(base / pdf),
                "-CAfile", str(authorities / "roots.pem"),
                "-certfile", str(authorities / "intermediates.pem"),
                "-purpose", "any", "-out", "/dev/null",
            ],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert cms.returncode == 0, cms.stderr

    # The same command again (a retry after a timeout): nothing served twice.
    again = _run(command, env)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert Signification.objects.count() == ACTS and Batch.objects.count() == 1
    assert JournalEntry.objects.filter(action="signification.submitted").count() == ACTS
