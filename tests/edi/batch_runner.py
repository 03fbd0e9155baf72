"""``submit_batch`` in a process of its own, for the test that kills it midway
(test_batch_interrupted.py). Its arguments come as JSON on stdin (the PIN too: never on a
command line). Once it has claimed its second item it waits, holding that item
``processing``: the test kills it there with SIGKILL."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    from asn1crypto import x509

    from securact.directory.models import Practice
    from securact.edi import batches
    from securact.edi.models import BatchItem
    from securact.pki.certificates import pem_to_der
    from securact.workflow import serving

    args = json.loads(sys.stdin.read())
    claim, claims = batches._claim, []

    def claim_then_wait(item: BatchItem) -> bool:
        won = claim(item)
        claims.append(item.position)
        if len(claims) == 2:
            time.sleep(600)  # killed here
        return won

    batches._claim = claim_then_wait  # type: ignore[assignment]
    certificate = x509.Certificate.load(pem_to_der(Path(args["sign_cert"]).read_bytes()))
    signer = serving.Signer(args["token_label"], certificate, args["pin"])

    def factory(_bailiff: Any, _certificate: Any) -> serving.Signer:
        return signer

    batches.submit_batch(
        Practice.objects.get(code=args["practice"]),
        args["caller"],
        args["batch"],
        [batches.ItemRequest(**item) for item in args["items"]],
        factory,
    )


if __name__ == "__main__":
    main()
