"""Token logins per signification (issue 10, item 2): one signification of five PDF acts
served through the one serve call, counting the PKCS#11 logins this process made on the
token (``signing.token.logins_made``) after the PIN check — 2 expected, whatever the number
of acts: every PAdES in one login, then every CAdES in another."""

from __future__ import annotations

import time

from securact.bench.serving import Party
from securact.significations.models import Signification
from securact.signing.token import logins_made
from securact.workflow import serving

ACTS = 5


def logins_per_signification(
    party: Party, pdf_copies: list[serving.FileOnDisk], timeout: float
) -> dict[str, object]:
    """Serve ``pdf_copies`` (``FileOnDisk``) as one signification; the logins after the PIN
    check, and whether it finished."""
    signer = party.signer
    request = serving.ServeRequest(
        bailiff=party.bailiff,
        actor_fingerprint=party.fingerprint,
        recipient=party.recipient,
        nature=party.nature,
        reference=f"BENCH-LOGINS-{int(time.time())}",
        files=pdf_copies,
        source=Signification.Source.EDI,
    )
    before = logins_made()
    served = serving.serve(
        request,
        serving.Signer(signer.token_label, signer.certificate, signer.pin),
        timeout=timeout,
        wait=True,
    )
    after_pin_check = logins_made() - before - 1
    return {
        "acts": len(pdf_copies),
        "token_logins_after_pin_check": after_pin_check,
        "finished": served.finished and served.signing_refusal is None,
    }
