"""The practice software's own token in the demo PKI (client-side signing, issue 13).

A practice that signs client-side keeps its bailiffs' signing keys on its own token (an HSM,
a smart card): the platform is never given it. The demo PKI makes one with SoftHSM2 in a
store of its own (``pki/practice-tokens/``, configuration ``pki/practice-softhsm2.conf``),
apart from the platform's tokens (``pki/tokens/``, the ``SOFTHSM2_CONF`` of the platform's
processes), and for each signer of ``identities.yml``'s ``practice_software``:

* an RSA key generated on that token (sensitive, never extractable), CKA_ID = the signer's
  rank, label ``<signer>``;
* its certificate ``<signer>-practice-sign`` (issued by the signing CA, subject of the
  bailiff: the same holder as his authentication certificate), stored beside the key;
* for tests, two more certificates of the same key: ``…-expired`` and ``…-revoked``
  (written to ``certs/``, not stored on the token).

SoftHSM2 reads ``SOFTHSM2_CONF`` once per process: what touches this token runs in a
process of its own (``python -m securact.pki.practice_token``), as the practice's software
would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509

from securact.pki import tokens

STORE = "practice-tokens"
CONF = "practice-softhsm2.conf"
# The certificates issued for each signer's key: suffix → certomancer validity/revocation.
VARIANTS = ("", "-expired", "-revoked")


def conf_path(pki_dir: Path) -> Path:
    return pki_dir / CONF


def cert_label(signer: str, variant: str = "") -> str:
    return f"{signer}-practice-sign{variant}"


def key_id(rank: int) -> bytes:
    return bytes([rank + 1])


def add_to_config(config: dict[str, Any], signers: list[str], dates: dict[str, str]) -> None:
    """Each signer's practice key (public half only) and its three certificates."""
    keyset = config["keysets"]["securact"]["keys"]
    certs = config["pki-architectures"]["securact"]["certs"]
    for signer in signers:
        keyset[f"{signer}-practice"] = {"path": f"{signer}-practice.pub.pem", "public-only": True}
        for variant in VARIANTS:
            spec: dict[str, Any] = {
                "template": "signing-template",
                "subject": signer,
                "subject-key": f"{signer}-practice",
            }
            if variant == "-expired":
                spec["validity"] = {
                    "valid-from": dates["EXPIRED_FROM"],
                    "valid-to": dates["EXPIRED_TO"],
                }
            if variant == "-revoked":
                spec["revocation"] = {
                    "revoked-since": dates["REVOKED_SINCE"],
                    "reason": "key_compromise",
                }
            certs[cert_label(signer, variant)] = spec


def _run(pki_dir: Path, *arguments: str) -> str:
    """This module's command in a process whose SoftHSM2 sees the practice's store only."""
    done = subprocess.run(
        [sys.executable, "-m", "securact.pki.practice_token", *arguments],
        env={**os.environ, "SOFTHSM2_CONF": str(conf_path(pki_dir))},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def create_keys(pki_dir: Path, token_label: str, pin: str, signers: list[str]) -> None:
    """Initialise the practice's token and generate each signer's key on it; the public
    halves go to ``keys/`` for certomancer."""
    # Not tokens.write_softhsm_config: it writes the platform's softhsm2.conf.
    store = pki_dir / STORE
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf_path(pki_dir).write_text(f"directories.tokendir = {store}\nobjectstore.backend = file\n")
    tokens.init_token(conf_path(pki_dir), token_label, os.urandom(8).hex(), pin)
    for rank, signer in enumerate(signers):
        public_pem = _run(pki_dir, "keygen", token_label, pin, signer, key_id(rank).hex())
        (pki_dir / "keys" / f"{signer}-practice.pub.pem").write_text(public_pem)


def store_certificates(
    pki_dir: Path, token_label: str, pin: str, signers: list[str], certificates: list[Path]
) -> None:
    """Each signer's (valid) certificate onto the practice's token, beside its key."""
    for rank, (signer, path) in enumerate(zip(signers, certificates, strict=True)):
        _run(pki_dir, "store", token_label, pin, signer, key_id(rank).hex(), str(path))


def main(argv: list[str]) -> int:
    command, token_label, pin, label, id_hex, *rest = argv
    lib = tokens.open_library()
    if command == "keygen":
        public = tokens.generate_signing_key(
            lib, token_label, pin, label=label, key_id=bytes.fromhex(id_hex)
        )
        sys.stdout.write(pem.armor("PUBLIC KEY", public.dump()).decode("ascii"))
        return 0
    if command == "store":
        data = Path(rest[0]).read_bytes()
        certificate = x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)
        tokens.store_certificate(
            lib, token_label, pin, certificate, label=label, key_id=bytes.fromhex(id_hex)
        )
        return 0
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
