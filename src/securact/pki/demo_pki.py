"""The demo and test PKI, generated with certomancer from ``demo/certomancer.yml.template``
and ``demo/identities.yml``.

Layout under the demo directory (``var/demo`` by default)::

    demo.json                 every identity, for scripts and tests
    certs/<label>.cert.pem    client certificates, their keys (0600) and PKCS#12 bundles
    pki/certomancer.yml       the rendered configuration `certomancer animate` serves
    pki/keys/                 CA, TSA, OCSP and server keys (0600); public halves of token keys
    pki/trust/                roots.pem, intermediates.pem (what the service trusts)
    pki/tokens/               SoftHSM2 tokens holding the bailiffs' signing keys
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Any

import yaml
from asn1crypto import pem, x509
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from securact.pki import journal_key, practice_token, tokens

TEMPLATE_DIR = Path(__file__).parent / "demo"
ARCH = ArchLabel("securact")
INFRASTRUCTURE_KEYS = {
    "root": 3072,
    "auth-ca": 3072,
    "sign-ca": 3072,
    "rogue-root": 3072,
    "tsa": 2048,
    "ocsp-auth": 2048,
    "ocsp-sign": 2048,
    "server": 2048,
}


@dataclass(frozen=True)
class DemoLayout:
    root: Path

    @property
    def pki(self) -> Path:
        return self.root / "pki"

    @property
    def keys(self) -> Path:
        return self.pki / "keys"

    @property
    def certs(self) -> Path:
        return self.root / "certs"

    @property
    def trust(self) -> Path:
        return self.pki / "trust"

    @property
    def config(self) -> Path:
        return self.pki / "certomancer.yml"

    @property
    def demo_json(self) -> Path:
        return self.root / "demo.json"

    @property
    def softhsm_conf(self) -> Path:
        return self.pki / "softhsm2.conf"

    @property
    def server_cert(self) -> Path:
        return self.pki / "server.cert.pem"

    @property
    def seal_cert(self) -> Path:
        """The platform's seal certificate (its key is on the `securact-platform` token)."""
        return self.pki / "platform-seal.cert.pem"

    @property
    def journal_cert(self) -> Path:
        """The journal checkpoints' certificate (its EC key is on the platform's token)."""
        return journal_key.journal_cert_path(self.pki)

    @property
    def seal_pin(self) -> Path:
        return self.pki / "platform-seal.pin"

    @property
    def server_key(self) -> Path:
        return self.keys / "server.key.pem"


def load_identities() -> dict[str, Any]:
    with (TEMPLATE_DIR / "identities.yml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by its owner only (created 0600, never wider)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)


def generate_key_file(path: Path, bits: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    write_private(
        path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def validity_dates(now: datetime) -> dict[str, str]:
    """Validity windows relative to generation time, so the PKI never silently ages out."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=30)
    return {
        "CA_FROM": _stamp(start),
        "CA_TO": _stamp(start + timedelta(days=365 * 20)),
        "LEAF_FROM": _stamp(start),
        "LEAF_TO": _stamp(start + timedelta(days=365 * 3)),
        "EXPIRED_FROM": _stamp(start - timedelta(days=730)),
        "EXPIRED_TO": _stamp(start - timedelta(days=365)),
        "FUTURE_FROM": _stamp(start + timedelta(days=365 * 2)),
        "FUTURE_TO": _stamp(start + timedelta(days=365 * 4)),
        "REVOKED_SINCE": _stamp(start + timedelta(days=1)),
    }


def subject_of(identity: dict[str, Any], practices: dict[str, str]) -> dict[str, str]:
    """The certificate subject: the practice code or the SIRET travels in
    organizationIdentifier (ETSI EN 319 412-1 style: CJFR-<practice>, NTRFR-<SIRET>)."""
    subject = {"common-name": identity["name"]}
    if identity.get("function"):
        subject["title"] = identity["function"]
    if identity.get("practice"):
        subject["organization-name"] = practices[identity["practice"]]
        subject["organization-identifier"] = f"CJFR-{identity['practice']}"
    if identity.get("siret"):
        subject["organization-name"] = identity["name"]
        subject["organization-identifier"] = f"NTRFR-{identity['siret']}"
    if identity["role"] == "operator":
        subject["organization-name"] = "Securact"
    return subject


def client_cert_spec(identity: dict[str, Any], dates: dict[str, str]) -> dict[str, Any]:
    label = identity["label"]
    spec: dict[str, Any] = {
        "template": "client-auth-template",
        "subject": label,
        "subject-key": label,
    }
    if identity.get("issuer"):
        spec["issuer"] = identity["issuer"]
    validity = identity.get("validity")
    if validity == "expired":
        spec["validity"] = {"valid-from": dates["EXPIRED_FROM"], "valid-to": dates["EXPIRED_TO"]}
    elif validity == "future":
        spec["validity"] = {"valid-from": dates["FUTURE_FROM"], "valid-to": dates["FUTURE_TO"]}
    if identity.get("revoked"):
        spec["revocation"] = {"revoked-since": dates["REVOKED_SINCE"], "reason": "key_compromise"}
    return spec


def render_config(service_url: str, now: datetime) -> dict[str, Any]:
    """The certomancer configuration for every identity (token keys added later)."""
    dates = validity_dates(now)
    text = Template((TEMPLATE_DIR / "certomancer.yml.template").read_text(encoding="utf-8"))
    config: dict[str, Any] = yaml.safe_load(text.substitute(SERVICE_URL=service_url, **dates))
    data = load_identities()
    practices = {p["code"]: p["name"] for p in data["practices"]}
    arch = config["pki-architectures"]["securact"]
    keyset = config["keysets"]["securact"]["keys"]
    for identity in data["identities"]:
        label = identity["label"]
        keyset[label] = {"path": f"{label}.key.pem"}
        arch["entities"][label] = subject_of(identity, practices)
        arch["certs"][label] = client_cert_spec(identity, dates)
        if identity["role"] == "bailiff":
            keyset[f"{label}-sign"] = {"path": f"{label}-sign.pub.pem", "public-only": True}
            arch["certs"][f"{label}-sign"] = {
                "template": "signing-template",
                "subject": label,
                "subject-key": f"{label}-sign",
            }
    seal = data["platform"]["label"]
    keyset[f"{seal}-sign"] = {"path": f"{seal}-sign.pub.pem", "public-only": True}
    arch["entities"][seal] = {"common-name": data["platform"]["name"]}
    arch["certs"][seal] = {
        "template": "signing-template",
        "subject": seal,
        "subject-key": f"{seal}-sign",
    }
    journal_key.add_to_config(config, data["platform"])
    practice_token.add_to_config(config, data["practice_software"]["signers"], dates)
    return config


def _write_pem_cert(path: Path, certificates: list[x509.Certificate]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(pem.armor("CERTIFICATE", c.dump()) for c in certificates))


def _token_keys(layout: DemoLayout, bailiffs: list[dict[str, Any]]) -> dict[str, str]:
    """Initialise one token per holder (each bailiff, the platform) and generate its signing
    key there (the platform's token also gets the journal's checkpoint key). Returns the
    user PIN of each token, by token label."""
    conf = tokens.write_softhsm_config(layout.pki / "tokens")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pins: dict[str, str] = {}
    for identity in bailiffs:
        pin = f"{secrets.randbelow(10**6):06d}"
        tokens.init_token(conf, identity["token_label"], secrets.token_hex(8), pin)
        pins[identity["token_label"]] = pin
    lib = tokens.open_library()
    for identity in bailiffs:
        public = tokens.generate_signing_key(
            lib, identity["token_label"], pins[identity["token_label"]]
        )
        (layout.keys / f"{identity['label']}-sign.pub.pem").write_bytes(
            pem.armor("PUBLIC KEY", public.dump())
        )
    platform = load_identities()["platform"]
    journal_key.generate_token_key(lib, layout.keys, platform, pins[platform["token_label"]])
    return pins


def _pkcs12(
    cert_pem: bytes, key_pem: bytes, chain: list[x509.Certificate], name: str, password: str
) -> bytes:
    from cryptography import x509 as cx509

    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("demo keys are RSA keys")
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        key,
        cx509.load_pem_x509_certificate(cert_pem),
        [cx509.load_der_x509_certificate(c.dump()) for c in chain],
        encryption,
    )


def _identity_record(
    layout: DemoLayout, identity: dict[str, Any], pins: dict[str, str], p12_password: str
) -> dict[str, Any]:
    label = identity["label"]
    record: dict[str, Any] = {
        "label": label,
        "role": identity["role"],
        "name": identity["name"],
        "auth_cert": str(layout.certs / f"{label}.cert.pem"),
        "auth_key": str(layout.certs / f"{label}.key.pem"),
        "p12": str(layout.certs / f"{label}.p12"),
        "p12_password": p12_password,
    }
    if identity["role"] == "bailiff":
        record.update(
            practice=identity["practice"],
            token_label=identity["token_label"],
            sign_cert=str(layout.certs / f"{label}-sign.cert.pem"),
            pin=pins[identity["token_label"]],
        )
    if identity["role"] == "recipient":
        record.update(siret=identity["siret"], natures=sorted(identity["natures"]))
    return record


def _issue_client_files(
    layout: DemoLayout, config: CertomancerConfig, identity: dict[str, Any], p12_password: str
) -> None:
    arch = config.get_pki_arch(ARCH)
    label = identity["label"]
    cert = arch.get_cert(CertLabel(label))
    chain = [arch.get_cert(c) for c in arch.get_chain(CertLabel(label))]
    cert_path = layout.certs / f"{label}.cert.pem"
    _write_pem_cert(cert_path, [cert])
    key_pem = (layout.keys / f"{label}.key.pem").read_bytes()
    write_private(layout.certs / f"{label}.key.pem", key_pem)
    write_private(
        layout.certs / f"{label}.p12",
        _pkcs12(cert_path.read_bytes(), key_pem, chain, identity["name"], p12_password),
    )
    if identity["role"] == "bailiff":
        _write_pem_cert(
            layout.certs / f"{label}-sign.cert.pem", [arch.get_cert(CertLabel(f"{label}-sign"))]
        )


def _install_practice_software(
    layout: DemoLayout,
    arch: Any,
    practice: dict[str, Any],
    pin: str,
    records: list[dict[str, Any]],
) -> None:
    """Each signer's practice certificates into ``certs/``, the valid one onto the
    practice's token beside its key, and where they are into the signer's record."""
    written: dict[str, dict[str, Path]] = {}
    for signer in practice["signers"]:
        for variant in practice_token.VARIANTS:
            label = practice_token.cert_label(signer, variant)
            path = layout.certs / f"{label}.cert.pem"
            _write_pem_cert(path, [arch.get_cert(CertLabel(label))])
            written.setdefault(signer, {})[variant] = path
    practice_token.store_certificates(
        layout.pki,
        practice["token_label"],
        pin,
        practice["signers"],
        [written[signer][""] for signer in practice["signers"]],
    )
    for record in records:
        if record["label"] in written:
            certs = written[record["label"]]
            record["practice_signing"] = {
                "softhsm_conf": str(practice_token.conf_path(layout.pki)),
                "token_label": practice["token_label"],
                "pin": pin,
                "sign_cert": str(certs[""]),
                "sign_cert_expired": str(certs["-expired"]),
                "sign_cert_revoked": str(certs["-revoked"]),
            }


def generate(
    layout: DemoLayout, service_url: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Generate the whole PKI into ``layout`` (which must not hold one yet)."""
    now = now or datetime.now(UTC)
    identities = load_identities()["identities"]
    for label, bits in INFRASTRUCTURE_KEYS.items():
        generate_key_file(layout.keys / f"{label}.key.pem", bits)
    for identity in identities:
        generate_key_file(layout.keys / f"{identity['label']}.key.pem", 2048)
    platform = load_identities()["platform"]
    pins = _token_keys(layout, [*(i for i in identities if i["role"] == "bailiff"), platform])
    practice = load_identities()["practice_software"]
    practice_pin = f"{secrets.randbelow(10**6):06d}"
    practice_token.create_keys(
        layout.pki, practice["token_label"], practice_pin, practice["signers"]
    )
    layout.config.write_text(
        yaml.safe_dump(render_config(service_url, now), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    config = CertomancerConfig.from_file(str(layout.config), key_search_dir=str(layout.pki))
    arch = config.get_pki_arch(ARCH)
    p12_password = secrets.token_urlsafe(9)
    for identity in identities:
        _issue_client_files(layout, config, identity, p12_password)
    lib = tokens.open_library()
    for identity in identities:
        if identity["role"] == "bailiff":
            tokens.store_certificate(
                lib,
                identity["token_label"],
                pins[identity["token_label"]],
                arch.get_cert(CertLabel(f"{identity['label']}-sign")),
            )
    seal_cert = arch.get_cert(CertLabel(platform["label"]))
    tokens.store_certificate(lib, platform["token_label"], pins[platform["token_label"]], seal_cert)
    _write_pem_cert(layout.seal_cert, [seal_cert])
    journal_key.install_certificate(
        lib, config, ARCH, platform, pins[platform["token_label"]], layout.pki
    )
    write_private(layout.seal_pin, pins[platform["token_label"]].encode())
    _write_pem_cert(layout.trust / "roots.pem", [arch.get_cert(CertLabel("root"))])
    _write_pem_cert(
        layout.trust / "intermediates.pem",
        [arch.get_cert(CertLabel(c)) for c in ("auth-ca", "sign-ca")],
    )
    _write_pem_cert(layout.server_cert, [arch.get_cert(CertLabel("server"))])
    for name in ("tsa", "ocsp-auth", "ocsp-sign"):
        _write_pem_cert(layout.pki / f"{name}.cert.pem", [arch.get_cert(CertLabel(name))])
    records = [_identity_record(layout, i, pins, p12_password) for i in identities]
    _install_practice_software(layout, arch, practice, practice_pin, records)
    layout.demo_json.write_text(
        json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    layout.demo_json.chmod(0o600)
    return records


def add_missing_identities(layout: DemoLayout, now: datetime | None = None) -> list[str]:
    """Issue the client certificates of identities added to ``identities.yml`` since this
    demo PKI was made (the EDI software's, issue 13); bailiffs (token keys) are not added
    this way. Returns their labels; an up-to-date PKI is left as it is."""
    records = json.loads(layout.demo_json.read_text(encoding="utf-8"))
    known = {record["label"] for record in records}
    data = load_identities()
    missing = [i for i in data["identities"] if i["label"] not in known and i["role"] != "bailiff"]
    if not missing:
        return []
    rendered: dict[str, Any] = yaml.safe_load(layout.config.read_text(encoding="utf-8"))
    arch = rendered["pki-architectures"]["securact"]
    keyset = rendered["keysets"]["securact"]["keys"]
    practices = {p["code"]: p["name"] for p in data["practices"]}
    dates = validity_dates(now or datetime.now(UTC))
    for identity in missing:
        label = identity["label"]
        generate_key_file(layout.keys / f"{label}.key.pem", 2048)
        keyset[label] = {"path": f"{label}.key.pem"}
        arch["entities"][label] = subject_of(identity, practices)
        arch["certs"][label] = client_cert_spec(identity, dates)
    layout.config.write_text(
        yaml.safe_dump(rendered, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    config = CertomancerConfig.from_file(str(layout.config), key_search_dir=str(layout.pki))
    p12_password = records[0]["p12_password"] if records else secrets.token_urlsafe(9)
    for identity in missing:
        _issue_client_files(layout, config, identity, p12_password)
        records.append(_identity_record(layout, identity, {}, p12_password))
    layout.demo_json.write_text(
        json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    layout.demo_json.chmod(0o600)
    return [identity["label"] for identity in missing]
