"""Signing keeps the act PDF/A: the claim stays (pikepdf), Info and XMP Producers stay
equal, every signature widget has an appearance, and a signed PDF/A-1b passes Apache
PDFBox Preflight (Debian's libpdfbox2-java, PDF/A-1b only)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from tests.signing.conftest import Bailiff, SignedAct, sign_act
from tests.signing.samples import pdfa_status

JARS = [
    "preflight",
    "pdfbox2",
    "fontbox2",
    "xmpbox",
    "commons-logging",
    "jaxb-api",
    "javax.activation",
]
CLASSPATH = ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)


def test_signed_act_keeps_consistent_metadata_and_widget_appearances(signed_act: SignedAct) -> None:
    assert pdfa_status(signed_act.pdf) == "2B"
    with pikepdf.open(signed_act.pdf) as pdf:
        assert str(pdf.docinfo["/Producer"]) == str(pdf.open_metadata()["pdf:Producer"])
        fields = {str(field.T): field for field in pdf.Root.AcroForm.Fields}
        assert set(fields) == {"Signature1", "Horodatage1"}
        assert all("/AP" in field for field in fields.values())


@pytest.mark.skipif(
    shutil.which("java") is None or not Path("/usr/share/java/preflight.jar").exists(),
    reason="Apache PDFBox Preflight is not installed",
)
def test_signed_pdfa_1b_passes_pdfbox_preflight(
    pki_server, make_sample, tmp_path: Path, durand: Bailiff, chain
) -> None:
    act = sign_act(make_sample("acte-1b", level=1), tmp_path, durand, chain)
    done = subprocess.run(
        ["java", "-cp", CLASSPATH, "org.apache.pdfbox.preflight.Validator_A1b", str(act.pdf)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "is a valid PDF/A-1b file" in done.stdout, done.stdout + done.stderr
