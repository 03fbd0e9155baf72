"""The journal members: the signed checkpoint, its timestamp, the journal key's certificate,
and each entry with its inclusion proof against the checkpoint's root (RFC 9162)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from securact_verifier.bundle import (
    ENTRIES,
    JOURNAL_PEM,
    NOTE,
    PROOFS,
    TSR,
    Bundle,
    Check,
    failed,
    passed,
)
from securact_verifier.merkle import ProofError, leaf_hash, verify_inclusion
from securact_verifier.note import Checkpoint, NoteError, parse_checkpoint, split_note, verify_note
from securact_verifier.timestamps import StampError, common_name, offline_context, verify_response
from securact_verifier.trust import Anchors, load_pem_certificates

PROOF_FORMAT = "securact-inclusion-proof/1"


@dataclass
class JournalState:
    """What the checkpoint checks found, for the entries' checks."""

    checkpoint: Checkpoint | None = None
    stamp_time: datetime | None = None


def _note_text(bundle: Bundle) -> str:
    data = bundle.members.get(NOTE)
    if data is None:
        raise NoteError("absent du dossier")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError("n'est pas du texte UTF-8") from exc


def check_checkpoint(bundle: Bundle, anchors: Anchors) -> tuple[list[Check], JournalState]:
    state = JournalState()
    lines = []
    try:
        body, _signatures = split_note(_note_text(bundle))
        state.checkpoint = parse_checkpoint(body)
    except NoteError as exc:
        return [failed(NOTE, f"point de contrôle illisible : {exc}")], state
    lines.append(_check_timestamp(bundle, anchors, state))
    certificate_line, key = _check_journal_certificate(bundle, anchors, state.stamp_time)
    lines.insert(0, _check_signature(bundle, key, state.checkpoint))
    lines.append(certificate_line)
    return lines, state


def _check_signature(
    bundle: Bundle, key: ec.EllipticCurvePublicKey | None, checkpoint: Checkpoint
) -> Check:
    if key is None:
        return failed(NOTE, f"signature non vérifiable : clé du journal illisible ({JOURNAL_PEM})")
    try:
        verify_note(_note_text(bundle), key, checkpoint.origin)
    except NoteError as exc:
        return failed(NOTE, f"signature du point de contrôle : {exc}")
    return passed(
        NOTE,
        f"point de contrôle signé par la clé du journal ({checkpoint.origin}) : "
        f"{checkpoint.size} entrées, racine {checkpoint.root.hex()}",
    )


def _check_timestamp(bundle: Bundle, anchors: Anchors, state: JournalState) -> Check:
    tsr = bundle.members.get(TSR)
    if tsr is None:
        return failed(TSR, "horodatage du point de contrôle absent du dossier")
    try:
        stamp = verify_response(tsr, bundle.members[NOTE], anchors)
    except StampError as exc:
        return failed(TSR, f"horodatage du point de contrôle : {exc}")
    state.stamp_time = stamp.time
    when = stamp.time.strftime("%d/%m/%Y %H:%M:%S %Z")
    return passed(TSR, f"point de contrôle horodaté le {when} par {stamp.tsa}")


def _check_journal_certificate(
    bundle: Bundle, anchors: Anchors, moment: datetime | None
) -> tuple[Check, ec.EllipticCurvePublicKey | None]:
    data = bundle.members.get(JOURNAL_PEM)
    if data is None:
        return failed(JOURNAL_PEM, "certificat de la clé du journal absent"), None
    try:
        chain = load_pem_certificates(data)
        key = crypto_x509.load_der_x509_certificate(chain[0].dump()).public_key()
    except ValueError as exc:
        return failed(JOURNAL_PEM, f"certificat illisible ({exc})"), None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return failed(JOURNAL_PEM, "la clé du journal n'est pas une clé ECDSA"), None
    validator = CertificateValidator(
        chain[0],
        intermediate_certs=[*chain[1:], *anchors.others],
        validation_context=offline_context(anchors, moment),
    )
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except (PathBuildingError, PathValidationError) as exc:
        return failed(
            JOURNAL_PEM,
            f"le certificat du journal ne remonte pas aux autorités de confiance ({exc})",
        ), key
    return passed(
        JOURNAL_PEM, f"certificat de la clé du journal ({common_name(chain[0])}) valide"
    ), key


def _load_json(bundle: Bundle, name: str) -> Any:
    try:
        return json.loads(bundle.members[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProofError(f"{name} : JSON illisible") from exc


def _sequence(name: str, prefix: str) -> int | None:
    stem = name.removeprefix(prefix).removesuffix(".json")
    return int(stem) if stem.isdigit() and not stem.startswith("0") else None


def check_entries(bundle: Bundle, state: JournalState, signification: int | None) -> list[Check]:
    """One line per journal entry: hashed to a leaf, proved in the checkpoint's tree."""
    entries = {_sequence(n, ENTRIES): n for n in bundle.names(ENTRIES)}
    proofs = {_sequence(n, PROOFS): n for n in bundle.names(PROOFS)}
    lines = [
        failed(name, "nom de fichier inattendu (attendu : <numéro>.json)")
        for key, name in [*entries.items(), *proofs.items()]
        if key is None
    ]
    if not entries and not proofs:
        return [*lines, failed(ENTRIES, "aucune entrée de journal dans le dossier")]
    for number in sorted(k for k in entries.keys() | proofs.keys() if k is not None):
        if number not in proofs:
            lines.append(failed(entries[number], "entrée sans preuve d'inclusion"))
        elif number not in entries:
            lines.append(failed(proofs[number], "preuve d'inclusion sans entrée"))
        else:
            lines.append(_check_entry(bundle, number, state.checkpoint, signification))
    return lines


def _check_entry(
    bundle: Bundle, number: int, checkpoint: Checkpoint | None, signification: int | None
) -> Check:
    entry_name, proof_name = f"{ENTRIES}{number}.json", f"{PROOFS}{number}.json"
    if checkpoint is None:
        return failed(entry_name, "point de contrôle illisible : inclusion non vérifiable")
    data = bundle.members[entry_name]
    try:
        entry = _load_json(bundle, entry_name)
        if not isinstance(entry, dict) or entry.get("sequence") != number:
            raise ProofError("le numéro de l'entrée ne correspond pas à son nom de fichier")
        if signification is not None and entry.get("signification_id") != signification:
            raise ProofError("l'entrée concerne une autre signification que le dossier")
        index = _verify_proof(_load_json(bundle, proof_name), number, leaf_hash(data), checkpoint)
    except ProofError as exc:
        return failed(entry_name, f"{exc} ({proof_name})")
    return passed(
        entry_name,
        f"entrée n° {number} ({entry.get('action', '?')}) incluse dans le journal, "
        f"feuille {index} sur {checkpoint.size} (preuve {proof_name})",
    )


def _verify_proof(proof: Any, number: int, leaf: bytes, checkpoint: Checkpoint) -> int:
    if not isinstance(proof, dict) or proof.get("format") != PROOF_FORMAT:
        raise ProofError(f"preuve d'inclusion au format inconnu (attendu {PROOF_FORMAT})")
    if proof.get("sequence") != number:
        raise ProofError("la preuve porte sur une autre entrée")
    if proof.get("tree_size") != checkpoint.size:
        raise ProofError(
            f"la preuve vise un journal de {proof.get('tree_size')} entrées, "
            f"le point de contrôle en a {checkpoint.size}"
        )
    try:
        claimed = bytes.fromhex(str(proof.get("leaf_hash")))
        hashes = [bytes.fromhex(h) for h in proof.get("hashes", [])]
        index = int(proof["leaf_index"])
    except (ValueError, TypeError, KeyError) as exc:
        raise ProofError("preuve d'inclusion mal formée") from exc
    if claimed != leaf:
        raise ProofError("l'empreinte de l'entrée ne correspond pas à la feuille de la preuve")
    try:
        verify_inclusion(leaf, index, checkpoint.size, hashes, checkpoint.root)
    except ProofError as exc:
        raise ProofError(f"preuve d'inclusion invalide (détail technique : {exc})") from exc
    return index
