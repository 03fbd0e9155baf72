"""pyHanko's own command line agrees that the signed act is valid (AdES, B-LTA).

It can only be run with the PKI services up: ``pyhanko sign adesverify`` (pyhanko-cli 0.6)
uses the default revocation gathering rule, NO_HISTORICAL_FETCH, which fetches OCSP/CRL for
the current-time check and fails when the responders are unreachable, instead of using the
DSS; the rule cannot be set from the command line or its configuration file, and
``pyhanko sign validate`` ignores embedded data altogether. The offline verdict is given
by pyHanko's API with LOCAL_ONLY (test_pades_cross_process.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.signing.conftest import SignedAct

PYHANKO = Path(sys.executable).with_name("pyhanko")


def test_pyhanko_adesverify_judges_the_act_valid(signed_act: SignedAct, demo_layout) -> None:
    done = subprocess.run(
        [
            str(PYHANKO),
            "sign",
            "adesverify",
            "--executive-summary",
            "--trust",
            str(demo_layout.trust / "roots.pem"),
            "--trust-replace",
            "--other-certs",
            str(demo_layout.trust / "intermediates.pem"),
            str(signed_act.pdf),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Signature1:" in done.stdout
    assert done.stdout.strip().endswith(":VALID")
