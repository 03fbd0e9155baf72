"""The journal checkpoint key of the demo PKI (issue 12, docs/evidence-log.md §2).

An EC P-256 key pair generated on the platform's token (``securact-platform``, label
``journal``, CKA_ID 2, beside the RSA seal key), whose certificate the demo PKI's signing CA
issues through certomancer (``platform-journal`` in the rendered configuration); the
certificate is written to ``pki/platform-journal.cert.pem`` and stored on the token.

:func:`add_journal_key` adds it to a demo directory generated before issue 12: the
rendered configuration gets the new entries appended (the other certificates, and their
serial numbers, stay as they are), the key is generated with the token PIN of
``pki/platform-seal.pin``, and the certificate issued. ``securact demo_pki`` runs it on
an existing directory that lacks the key (so does ``securact start``, which runs it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import pem
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig

from securact.pki import tokens

JOURNAL_CERT_FILE = "platform-journal.cert.pem"


def journal_cert_path(pki_dir: Path) -> Path:
    return pki_dir / JOURNAL_CERT_FILE


def add_to_config(config: dict[str, Any], platform: dict[str, Any]) -> None:
    """Add the journal key (public half, on the token) and its certificate to a rendered
    certomancer configuration, after every other certificate."""
    label = platform["journal_label"]
    config["keysets"]["securact"]["keys"][f"{label}-sign"] = {
        "path": f"{label}-sign.pub.pem",
        "public-only": True,
    }
    arch = config["pki-architectures"]["securact"]
    arch["entities"][label] = {"common-name": platform["journal_name"]}
    arch["certs"][label] = {
        "template": "signing-template",
        "subject": label,
        "subject-key": f"{label}-sign",
    }


def generate_token_key(
    lib: tokens.Pkcs11Lib, keys_dir: Path, platform: dict[str, Any], pin: str
) -> None:
    """Generate the key on the platform's token (unless it is there already, from an
    interrupted run); its public half goes to ``keys_dir``."""
    token_label = platform["token_label"]
    public = tokens.ec_public_key(lib, token_label, pin) or tokens.generate_ec_key(
        lib, token_label, pin
    )
    (keys_dir / f"{platform['journal_label']}-sign.pub.pem").write_bytes(
        pem.armor("PUBLIC KEY", public.dump())
    )


def install_certificate(
    lib: tokens.Pkcs11Lib,
    config: CertomancerConfig,
    arch_label: ArchLabel,
    platform: dict[str, Any],
    pin: str,
    pki_dir: Path,
) -> None:
    """Issue the journal key's certificate, store it on the token and write its PEM file."""
    certificate = config.get_pki_arch(arch_label).get_cert(CertLabel(platform["journal_label"]))
    tokens.store_certificate(
        lib,
        platform["token_label"],
        pin,
        certificate,
        label=tokens.JOURNAL_KEY_LABEL,
        key_id=tokens.JOURNAL_KEY_ID,
    )
    journal_cert_path(pki_dir).write_bytes(pem.armor("CERTIFICATE", certificate.dump()))


def add_journal_key(pki_dir: Path, platform: dict[str, Any], arch_label: ArchLabel) -> bool:
    """Give a demo PKI made before issue 12 its journal key; False when it has one."""
    if journal_cert_path(pki_dir).exists():
        return False
    config_file = pki_dir / "certomancer.yml"
    rendered: dict[str, Any] = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    pin = (pki_dir / "platform-seal.pin").read_text(encoding="utf-8").strip()
    # Before the PKCS#11 module is first loaded: it reads this variable once.
    os.environ["SOFTHSM2_CONF"] = str(pki_dir / "softhsm2.conf")
    lib = tokens.open_library()
    generate_token_key(lib, pki_dir / "keys", platform, pin)
    if platform["journal_label"] not in rendered["pki-architectures"]["securact"]["certs"]:
        add_to_config(rendered, platform)
        config_file.write_text(
            yaml.safe_dump(rendered, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    config = CertomancerConfig.from_file(str(config_file), key_search_dir=str(pki_dir))
    install_certificate(lib, config, arch_label, platform, pin, pki_dir)
    return True
