"""An evidence bundle (docs/evidence-log.md §4) assembled in the tests from real artefacts,
while `securact.bundles` is written elsewhere: an act signed on the bailiff's token (PAdES
B-LTA + CAdES .p7s), a PDF sealed by the platform, the sealed deposit certificate
(XAdES-T), journal entries with their RFC 9162 inclusion proofs, a checkpoint signed as a
C2SP note by an ECDSA P-256 key certified by the demo PKI's signing CA, and its RFC 3161
timestamp response from the demo TSA."""

from __future__ import annotations

import asyncio
import hashlib
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from securact.pki.demo_pki import DemoLayout
from securact.signing import services
from securact_verifier.merkle import (
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
)
from securact_verifier.note import (
    checkpoint_body,
    ecdsa_key_id,
    format_signature_line,
    signed_note,
)

ORIGIN = "securact.example/journal"
SIGNIFICATION = 42
REFERENCE = "REF-2025-0042"


def _pem(certificates: list[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def journal_certificate(
    layout: DemoLayout,
) -> tuple[ec.EllipticCurvePrivateKey, list[x509.Certificate]]:
    """A P-256 key and its certificate from the demo signing CA (what the service's
    `pki/platform-journal.cert.pem` will be), with the chain up to the root."""
    ca_key = serialization.load_pem_private_key(
        (layout.root / "pki" / "keys" / "sign-ca.key.pem").read_bytes(), password=None
    )
    ca_public = ca_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    intermediates = x509.load_pem_x509_certificates(
        (layout.trust / "intermediates.pem").read_bytes()
    )
    ca = next(
        c
        for c in intermediates
        if c.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        == ca_public
    )
    roots = x509.load_pem_x509_certificates((layout.trust / "roots.pem").read_bytes())
    root = next(r for r in roots if r.subject == ca.issuer)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SECURACT — journal")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
            False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return key, [certificate, ca, root]


def timestamp_response(data: bytes) -> bytes:
    """A TimeStampResp (DER) of the demo TSA over SHA-256(data)."""
    stamper = services.timestamper()
    _nonce, request = stamper.request_cms(hashlib.sha256(data).digest(), "sha256")
    response: tsp.TimeStampResp = asyncio.run(stamper.async_request_tsa_response(request))
    return bytes(response.dump())


def entry_bytes(sequence: int, action: str, signification: int | None) -> bytes:
    """Canonical bytes of a format 2 journal entry (contract §1)."""
    entry = {
        "action": action,
        "actor": "test",
        "data": {"reference": REFERENCE} if signification else {},
        "format": 2,
        "recorded_at": f"2025-03-14T09:26:{sequence % 60:02d}.000000Z",
        "sequence": sequence,
        "signification_id": signification,
    }
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def journal_members(layout: DemoLayout, ours: list[int], tree_size: int = 11) -> dict[str, bytes]:
    """Entries `ours` (sequences) of our signification in a journal of `tree_size` leaves
    (other entries belong to other significations), their proofs, the signed checkpoint and
    its timestamp, and the journal key's certificate chain."""
    leaves = [
        entry_bytes(n, "deposit" if n in ours else "other", SIGNIFICATION if n in ours else 7)
        for n in range(1, tree_size + 1)
    ]
    hashes_ = [leaf_hash(b) for b in leaves]
    root = root_from_leaf_hashes(hashes_)
    key, chain = journal_certificate(layout)
    body = checkpoint_body(ORIGIN, tree_size, root)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    der = key.sign(body.encode(), ec.ECDSA(hashes.SHA256()))
    note = signed_note(body, [format_signature_line(ORIGIN, ecdsa_key_id(spki), der)]).encode()
    members = {}
    for sequence in ours:
        index = sequence - 1
        members[f"journal/entries/{sequence}.json"] = leaves[index]
        proof = {
            "format": "securact-inclusion-proof/1",
            "sequence": sequence,
            "leaf_index": index,
            "tree_size": tree_size,
            "leaf_hash": hashes_[index].hex(),
            "hashes": [h.hex() for h in inclusion_proof_from_leaf_hashes(index, hashes_)],
            "checkpoint": f"checkpoints/{tree_size}.note",
        }
        members[f"journal/proofs/{sequence}.json"] = json.dumps(proof, indent=2).encode()
    members["journal/checkpoint.note"] = note
    members["journal/checkpoint.tsr"] = timestamp_response(note)
    members["certificats/confiance/plateforme-journal.pem"] = _pem(chain)
    return members


def authorities_pem(layout: DemoLayout) -> bytes:
    """Roots, intermediates, TSA and OCSP responders, as `bundles.trust` writes them."""
    pki = layout.root / "pki"
    return (
        (layout.trust / "roots.pem").read_bytes()
        + (layout.trust / "intermediates.pem").read_bytes()
        + (pki / "tsa.cert.pem").read_bytes()
        + b"".join(p.read_bytes() for p in sorted(pki.glob("ocsp-*.cert.pem")))
    )


def write_bundle(target: Path, members: dict[str, bytes]) -> Path:
    """The ZIP: LISEZMOI.txt, the members, then manifest.json listing every other one."""
    members = {"LISEZMOI.txt": b"Dossier de preuve de test.\n", **members}
    manifest = {
        "format": "securact-evidence-bundle/1",
        "signification": SIGNIFICATION,
        "reference": REFERENCE,
        "created_at": "2025-03-14T10:30:00+01:00",
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return target


def rewrite_member(source: Path, target: Path, name: str, data: bytes) -> Path:
    """A copy of the bundle with one member's bytes replaced (the manifest untouched)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info))
    return target


def flip_one_byte(data: bytes, offset: int | None = None) -> bytes:
    """`data` with one byte changed (the middle one by default)."""
    position = len(data) // 2 if offset is None else offset
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)
