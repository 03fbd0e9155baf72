"""The practice's software in the client-side signing tests: it signs what the platform asks
for on the practice's own token, with python-pkcs11, in a process of its own whose SoftHSM2
configuration is the practice's store (``pki/practice-softhsm2.conf``) — a store the
platform's processes never load.

Run as ``python tests/significations/practice_software.py`` (``run``) with a JSON request on stdin::

    {"token_label": …, "pin": …, "certificate": <base64 DER>,
     "mechanism": "CKM_SHA256_RSA_PKCS" | "CKM_RSA_PKCS",
     "items": [{"id": …, "signed_attributes": <base64 DER>, "digest": <base64>}, …]}

and answers ``{"labels": [token labels it sees], "values": {id: <base64 signature>}}``.
``CKM_SHA256_RSA_PKCS`` signs the DER signed attributes (the token hashes them);
``CKM_RSA_PKCS`` signs the DigestInfo (SHA-256, given digest) built with asn1crypto — the
two ways docs/client-side-signing.md describes, which give the same value.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import algos
from pkcs11 import Attribute, Mechanism, ObjectClass, TokenFlag

MODULE = os.environ.get("SECURACT_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")


def _sign(key: Any, mechanism: str, item: dict[str, str]) -> bytes:
    if mechanism == "CKM_SHA256_RSA_PKCS":
        data = base64.b64decode(item["signed_attributes"])
        return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
    digest_info = algos.DigestInfo(
        {"digest_algorithm": {"algorithm": "sha256"}, "digest": base64.b64decode(item["digest"])}
    )
    return bytes(key.sign(digest_info.dump(), mechanism=Mechanism.RSA_PKCS))


def main() -> None:
    request = json.load(sys.stdin)
    lib = pkcs11.lib(MODULE)
    labels = [
        slot.get_token().label
        for slot in lib.get_slots(token_present=True)
        if slot.get_token().flags & TokenFlag.TOKEN_INITIALIZED
    ]
    token = lib.get_token(token_label=request["token_label"])
    certificate = base64.b64decode(request["certificate"])
    values = {}
    with token.open(user_pin=request["pin"]) as session:
        found = next(
            iter(
                session.get_objects(
                    {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.VALUE: certificate}
                )
            )
        )
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=bytes(found[Attribute.ID]))
        for item in request["items"]:
            value = _sign(key, request["mechanism"], item)
            values[str(item["id"])] = base64.b64encode(value).decode("ascii")
    json.dump({"labels": labels, "values": values}, sys.stdout)


def run(
    practice: dict[str, str],
    certificate_der: bytes,
    items: Iterable[dict[str, str]],
    mechanism: str = "CKM_SHA256_RSA_PKCS",
) -> dict[str, Any]:
    """Ask the practice's software (a separate process) to sign ``items``."""
    request = {
        "token_label": practice["token_label"],
        "pin": practice["pin"],
        "certificate": base64.b64encode(certificate_der).decode("ascii"),
        "mechanism": mechanism,
        "items": list(items),
    }
    done = subprocess.run(
        [sys.executable, str(Path(__file__))],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={**os.environ, "SOFTHSM2_CONF": practice["softhsm_conf"]},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


if __name__ == "__main__":
    main()
