"""A separate worker process for the cross-process signing test, as the real worker would
be: it knows nothing of the test process, reads its settings from SECURACT_* variables and
exchanges the pending signature as JSON.

    python worker.py prepare SOURCE.pdf PREPARED.pdf SIGN_CERT.pem   → pending JSON on stdout
    python worker.py finish PREPARED.pdf OUT.pdf  < {"pending": …, "signature": base64}
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from pathlib import Path

import django


def prepare(source: Path, prepared: Path, cert_pem: Path) -> dict[str, object]:
    from securact.signing import pades, services

    [cert] = services.load_certificates(cert_pem)
    started = time.perf_counter()
    pending = pades.prepare_pades(source, prepared, cert, services.intermediate_certificates())
    return {"pending": pending.to_json(), "seconds": time.perf_counter() - started}


def finish(prepared: Path, out: Path, request: dict[str, str]) -> dict[str, object]:
    from securact.signing import pades, services
    from securact.signing.pending import PendingSignature

    pending = PendingSignature.from_json(request["pending"])
    started = time.perf_counter()
    pades.finish_pades(
        pending,
        prepared,
        base64.b64decode(request["signature"]),
        out,
        timestamper=services.timestamper(),
        validation_context=services.validation_context(),
    )
    return {"seconds": time.perf_counter() - started, "pid": os.getpid()}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
    django.setup()
    command, *paths = sys.argv[1:]
    if command == "prepare":
        result = prepare(Path(paths[0]), Path(paths[1]), Path(paths[2]))
    else:
        result = finish(Path(paths[0]), Path(paths[1]), json.load(sys.stdin))
    print(json.dumps({**result, "pid": os.getpid()}), flush=True)


if __name__ == "__main__":
    main()
