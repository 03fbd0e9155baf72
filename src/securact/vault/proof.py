"""The proof (*preuve*, F7.3) of a vault file: what a third party needs to check, offline,
that this exact content was in the vault at that time.

``proof_archive`` returns a ZIP (README, "Vault proof"; docs/vault-proof.md):

``proof.pdf``
    PDF/A-2b in French, sealed by the platform (PAdES B-LTA: signature timestamp, OCSP/CRL
    in a DSS, document timestamp), stating the file, its deposit, its RFC 3161 timestamp,
    the journal entries concerning it, the journal's Merkle tree head (size and root) when
    it was issued, and the SHA-256 of ``proof.json`` and ``deposit.tsr`` (so the seal covers
    them too).
``proof.json``
    The same facts, machine-readable: canonical JSON (UTF-8, keys sorted at every level, no
    whitespace, as the journal's entries), described field by field in docs/vault-proof.md;
    each journal entry with its RFC 9162 inclusion proof in the tree of that head.
``deposit.tsr``
    The TSA's answer at deposit (an RFC 3161 TimeStampResp: status *granted* and the token,
    as stored), for ``openssl ts -verify -digest <sha256> -in deposit.tsr -CAfile roots.pem``.
    Absent for a file deposited before deposits were timestamped: the proof says so.
``roots.pem`` (and ``intermediates.pem`` if the TSA's chain needs one)
    The trust anchors of the TSA and the seal, to compare with the published fingerprints.
``README.txt``
    How to verify, in French.

Why a ZIP and not attachments in the PDF: a PDF/A-2 may embed only PDF/A files, the PDF
code here produces and checks PDF/A-2b (not A-3), and ``openssl ts`` reads a file anyway.

Issuing a proof is journaled (``vault.file.proof_issued``) with the SHA-256 of the PDF and
the JSON: the journal then says which proof was handed out, to whom, when.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from base64 import b64encode
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from securact.evidence import canonical, tree
from securact.evidence.models import JournalEntry, JournalLeaf
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.evidence.pdf_seal import seal_as_pdfa
from securact.evidence.seal import seal_certificate_chain
from securact.signing.services import intermediate_certificates, trust_roots
from securact.vault.journaling import VaultAction, file_entries, record
from securact.vault.models import StoredFile, Vault
from securact.vault.proof_pdf import render_proof_pdf
from securact.vault.timestamping import timestamp_response, token_facts

FORMAT = "securact.vault.proof"
# 2: the journal part proves each entry in the Merkle tree (issue 12) instead of the chain.
FORMAT_VERSION = 2
PDF_NAME = "proof.pdf"
JSON_NAME = "proof.json"
TSR_NAME = "deposit.tsr"
ROOTS_NAME = "roots.pem"
INTERMEDIATES_NAME = "intermediates.pem"
README_NAME = "README.txt"
# Fixed member times: the ZIP's bytes depend only on what it holds.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ProofArchive(NamedTuple):
    """What the *Preuve* button downloads: a file name and the ZIP's bytes."""

    filename: str
    content: bytes


# --- the facts -------------------------------------------------------------------------------


def _owner(vault: Vault) -> str:
    if vault.bailiff is not None:
        practice = vault.bailiff.practice
        return f"{vault.bailiff.full_name} — {practice.name} ({practice.code})"
    if vault.recipient is not None:
        return f"{vault.recipient.name} — SIRET {vault.recipient.siret}"
    return ""


def _holders(fingerprints: set[str]) -> dict[str, str]:
    """Who is behind each certificate fingerprint, where a vault is bound to it."""
    bound = Vault.objects.filter(certificate_fingerprint__in=fingerprints)
    return {
        fingerprint: holder
        for fingerprint, holder in bound.values_list(
            "certificate_fingerprint", "certificate_holder"
        )
        if fingerprint and holder
    }


def _time(moment: datetime | None) -> str | None:
    return canonical.format_time(moment) if moment is not None else None


def _entry(entry: JournalEntry, proof: tree.InclusionProof) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "recorded_at": canonical.format_time(entry.recorded_at),
        "actor": entry.actor,
        "signification_id": entry.signification_id,
        "action": entry.action,
        "data": entry.data,
        "format": entry.format,
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
        "leaf_index": proof.leaf_index,
        "inclusion": [hashed.hex() for hashed in proof.hashes],
    }


def _proven_entries(stored: StoredFile, head: tree.TreeHead) -> list[dict[str, Any]]:
    """The file's entries in the tree of ``head``, each with its inclusion proof."""
    entries = list(file_entries(stored.pk))
    placed = dict(
        JournalLeaf.objects.filter(sequence__in=[e.sequence for e in entries]).values_list(
            "sequence", "index"
        )
    )
    return [
        _entry(entry, tree.inclusion_proof(entry.sequence, head.size))
        for entry in entries
        if placed.get(entry.sequence, head.size) < head.size
    ]


def _timestamp_part(stored: StoredFile) -> dict[str, Any]:
    if not stored.deposit_timestamp:
        return {
            "present": False,
            "note": (
                "Fichier déposé avant l'horodatage des dépôts : aucun jeton RFC 3161 "
                "n'existe pour ce dépôt ; seul le journal en témoigne."
            ),
        }
    token = bytes(stored.deposit_timestamp)
    facts = token_facts(token)
    return {
        "present": True,
        "file": TSR_NAME,
        "token_der_base64": b64encode(token).decode("ascii"),
        "time": canonical.format_time(facts.time),
        "tsa": facts.tsa,
        "serial_number": facts.serial_number,
        "policy": facts.policy,
        "message_imprint": {
            "hash_algorithm": facts.hash_algorithm,
            "hashed_message": facts.hashed_message,
        },
    }


def proof_document(stored: StoredFile, *, actor: str, issued_at: datetime) -> dict[str, Any]:
    """The machine-readable proof of ``stored`` (docs/vault-proof.md, version 1)."""
    vault = Vault.objects.select_related("bailiff__practice", "recipient").get(pk=stored.vault_id)
    head = tree.tree_head()  # after integrating the file's latest entries
    entries = _proven_entries(stored, head)
    holders = _holders({stored.depositor, *(e["actor"] for e in entries)})
    with translation.override(LEGAL_LANGUAGE):
        kind_label = (
            str(StoredFile.Kind(stored.kind).label) if stored.kind in StoredFile.Kind else ""
        )
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "issued_at": canonical.format_time(issued_at),
        "issued_for": actor,
        "platform": {
            "name": settings.SECURACT_PLATFORM_NAME,
            "url": settings.SECURACT_PUBLIC_URL,
        },
        "vault": {
            "id": vault.pk,
            "owner_kind": vault.owner_kind,
            "owner": _owner(vault),
            "certificate_fingerprint": vault.certificate_fingerprint,
        },
        "file": {
            "id": stored.pk,
            "folder": stored.folder,
            "name": stored.name,
            "kind": stored.kind,
            "kind_label": kind_label,
            "size": stored.size,
            "hash_algorithm": stored.hash_algorithm,
            "sha256": stored.sha256,
            "depositor": stored.depositor,
            "depositor_holder": holders.get(stored.depositor),
            "deposited_at": canonical.format_time(stored.deposited_at),
            "signification_id": stored.signification_id,
            "retain_until": _time(stored.retain_until),
            "legal_hold": stored.legal_hold,
            "legal_hold_reason": stored.legal_hold_reason,
            "fixity": {
                "state": stored.fixity_state,
                "checked_at": _time(stored.fixity_checked_at),
            },
        },
        "deposit_timestamp": _timestamp_part(stored),
        "journal": {
            "canonical_form": (
                "entry_hash = SHA-256 of the entry's canonical bytes: the UTF-8 JSON object "
                "{action, actor, data, format: 2, recorded_at, sequence, signification_id} "
                "(format 2; format 1, before the Merkle tree: previous_hash instead of "
                "format), keys sorted at every level, separators ',' and ':', non-ASCII as "
                "is (securact/evidence/canonical.py); leaf hash = SHA-256(0x00 || canonical "
                "bytes), node hash = SHA-256(0x01 || left || right), inclusion = the RFC 9162 "
                "section 2.1.3 proof of leaf_index in the tree of head.tree_size leaves"
            ),
            "entries": entries,
            "actors": holders,
            "head": {"tree_size": head.size, "root_hash": head.root_hash.hex()},
        },
    }


def canonical_json(document: dict[str, Any]) -> bytes:
    """The proof's JSON: keys sorted at every level, no whitespace, UTF-8, no floats."""
    canonical.check_json_value(document, "proof")
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# --- the trust anchors ---------------------------------------------------------------------------


def _chain_up(
    leaf: asn1_x509.Certificate, known: list[asn1_x509.Certificate]
) -> tuple[asn1_x509.Certificate | None, list[asn1_x509.Certificate]]:
    """The trust root ``leaf`` chains up to (None if none) and the intermediates on the way.
    Names only: this chooses which certificates to hand out; openssl and pyHanko verify."""
    roots = trust_roots()
    intermediates: list[asn1_x509.Certificate] = []
    cert = leaf
    for _depth in range(8):
        root = next((r for r in roots if r.subject == cert.issuer), None)
        if root is not None:
            return root, intermediates
        issuer = next((c for c in known if c.subject == cert.issuer and c != cert), None)
        if issuer is None or issuer in intermediates:
            break
        intermediates.append(issuer)
        cert = issuer
    return None, intermediates


def _anchor_members(stored: StoredFile) -> list[tuple[str, bytes]]:
    """``roots.pem``: the roots of the seal's and the TSA's chains; ``intermediates.pem``:
    what ``openssl ts`` needs besides (the TSA's issuers the token does not carry)."""
    seal_chain = [
        asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
        for cert in seal_certificate_chain()
    ]
    seal_root, _ = _chain_up(seal_chain[0], [*seal_chain, *intermediate_certificates()])
    roots = [seal_root] if seal_root is not None else []
    intermediates: list[asn1_x509.Certificate] = []
    facts = token_facts(bytes(stored.deposit_timestamp)) if stored.deposit_timestamp else None
    if facts is not None and facts.signer is not None:
        tsa_root, chain = _chain_up(
            facts.signer, [*facts.certificates, *intermediate_certificates()]
        )
        if tsa_root is not None and tsa_root not in roots:
            roots.append(tsa_root)
        intermediates = [cert for cert in chain if cert not in facts.certificates]
    members = [(ROOTS_NAME, _pem(roots or trust_roots()))]
    if intermediates:
        members.append((INTERMEDIATES_NAME, _pem(intermediates)))
    return members


def _pem(certs: list[asn1_x509.Certificate]) -> bytes:
    return b"".join(pem.armor("CERTIFICATE", cert.dump()) for cert in certs)


# --- the archive -------------------------------------------------------------------------------


def _archive_name(stored: StoredFile) -> str:
    stem = PurePosixPath(stored.name).stem or str(stored.pk)
    return f"preuve_{stem}.zip"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _sealed_pdf(document: dict[str, Any], attachments: dict[str, str]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="securact-proof-") as work:
        draft, sealed = Path(work) / "draft.pdf", Path(work) / "sealed" / PDF_NAME
        render_proof_pdf(document, attachments, draft)
        seal_as_pdfa(draft, sealed)
        return sealed.read_bytes()


def _readme(
    document: dict[str, Any], attachments: dict[str, str], pdf_sha256: str, intermediates: bool
) -> str:
    return render_to_string(
        "vault/proof/README.txt",
        {
            "document": document,
            "file": document["file"],
            "timestamp": document["deposit_timestamp"],
            "attachments": attachments,
            "pdf_sha256": pdf_sha256,
            "has_intermediates": intermediates,
            "names": {
                "pdf": PDF_NAME,
                "json": JSON_NAME,
                "token": TSR_NAME,
                "roots": ROOTS_NAME,
                "intermediates": INTERMEDIATES_NAME,
            },
        },
    )


def proof_archive(stored: StoredFile, *, actor: str) -> ProofArchive:
    """Build the proof of ``stored`` for ``actor`` (a certificate fingerprint) and journal
    its issue. The caller has checked that ``actor`` may read this vault.

    Needs the TSA and the revocation services (the PDF's seal); raises
    ``SealTransientError`` (French message) when they do not answer, and the other
    ``SealError``/``ConversionFailed`` of :func:`~securact.evidence.pdf_seal.seal_as_pdfa`.
    Call it outside any transaction: sealing is a network call."""
    issued_at = timezone.now()
    document = proof_document(stored, actor=actor, issued_at=issued_at)
    json_bytes = canonical_json(document)
    members: list[tuple[str, bytes]] = [(JSON_NAME, json_bytes)]
    if stored.deposit_timestamp:
        members.append((TSR_NAME, timestamp_response(bytes(stored.deposit_timestamp))))
    anchors = _anchor_members(stored)
    members += anchors
    attachments = {name: hashlib.sha256(content).hexdigest() for name, content in members}
    pdf = _sealed_pdf(document, attachments)
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    intermediates = any(name == INTERMEDIATES_NAME for name, _ in anchors)
    readme = _readme(document, attachments, pdf_sha256, intermediates)
    members = [(PDF_NAME, pdf), *members, (README_NAME, readme.encode("utf-8"))]
    record(
        Vault.objects.get(pk=stored.vault_id),
        VaultAction.PROOF,
        actor=actor,
        stored=stored,
        data={
            "proof_pdf_sha256": pdf_sha256,
            "proof_json_sha256": attachments[JSON_NAME],
            "journal_tree_size": document["journal"]["head"]["tree_size"],
        },
    )
    return ProofArchive(_archive_name(stored), _zip(members))
