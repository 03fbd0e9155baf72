"""The evidence bundle of a signification (docs/evidence-log.md §4): one ZIP with the
signed acts and their ``.p7s``, the sealed certificates, the data message, the act
return, every journal entry of the signification with its inclusion proof, the checkpoint
they are proved against (signed note and RFC 3161 timestamp), the certificates to check
them, ``manifest.json`` (each member's SHA-256) and ``LISEZMOI.txt``.

Built as a stream: each document is copied from storage in chunks into the ZIP, its
SHA-256 computed on the way and compared with the one recorded (a missing or damaged
document refuses the bundle, naming it). The same inputs and ``now`` give the same bytes
(members in a fixed order, fixed times and permissions).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from securact.bundles import journal_members, trust
from securact.bundles.artefacts import Artefact, artefacts_of
from securact.bundles.zipped import PARIS, HashingZip
from securact.core.errors import Refusal
from securact.evidence.journal import entries_for
from securact.evidence.models import JournalEntry
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.significations import work_store
from securact.significations.models import Signification

FORMAT = "securact-evidence-bundle/1"
MANIFEST = "manifest.json"
README = "LISEZMOI.txt"
NOTE = "journal/checkpoint.note"
TSR = "journal/checkpoint.tsr"
JOURNAL_PEM = "certificats/confiance/plateforme-journal.pem"
AUTHORITIES_PEM = "certificats/confiance/autorites.pem"


class BundleRefused(Refusal):
    """The bundle cannot be made (a document missing or damaged); ``message`` is French."""


@dataclass(frozen=True)
class BundleResult:
    signification_id: int
    filename: str
    members: dict[str, str]  # name → SHA-256 (manifest.json excluded)
    tree_size: int


def bundle_filename(signification: Signification) -> str:
    token = re.sub(
        r"[^A-Za-z0-9._-]+", "_", f"{signification.practice.code}_{signification.reference}"
    )
    return f"dossier-preuve_{token.strip('_')}.zip"


def json_bytes(document: Any) -> bytes:
    """Readable, stable JSON: keys sorted, two-space indent, UTF-8, a final newline."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class _Plan:
    signification: Signification
    documents: list[Artefact]
    entries: list[JournalEntry]
    proofs: dict[int, dict[str, Any]]
    checkpoint: journal_members.CheckpointFiles
    created_at: datetime


def _plan(signification_id: int, entries: Q | None, now: datetime | None) -> _Plan:
    signification = Signification.objects.select_related(
        "practice", "recipient", "nature", "bailiff"
    ).get(pk=signification_id)
    documents = artefacts_of(signification)
    journal = entries_for(signification.pk)
    if entries is not None:
        journal = journal.filter(entries)
    found = list(journal)
    checkpoint = journal_members.checkpoint_covering(entry.sequence for entry in found)
    proofs = {
        entry.sequence: journal_members.inclusion_proof(entry.sequence, checkpoint.tree_size)
        for entry in found
    }
    return _Plan(signification, documents, found, proofs, checkpoint, now or timezone.now())


def build_bundle(
    signification_id: int,
    out: BinaryIO | Path,
    *,
    entries: Q | None = None,
    now: datetime | None = None,
) -> BundleResult:
    """Write the bundle of ``signification_id`` to ``out`` (a binary stream, or a path
    written atomically). ``entries`` narrows the journal entries (the recipient's bundle
    holds the entries its portal shows). Raises ``Signification.DoesNotExist`` and
    :class:`BundleRefused`. Publishes a checkpoint (the token, the TSA) when the newest
    entry is not yet in one: call it outside any transaction."""
    plan = _plan(signification_id, entries, now)
    if isinstance(out, Path):
        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("wb") as stream:
                members = _write(stream, plan)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    else:
        members = _write(out, plan)
    return BundleResult(
        signification_id=plan.signification.pk,
        filename=bundle_filename(plan.signification),
        members=members,
        tree_size=plan.checkpoint.tree_size,
    )


def _write(out: BinaryIO, plan: _Plan) -> dict[str, str]:
    with HashingZip(out, plan.created_at) as archive:
        archive.add_bytes(README, _readme(plan).encode("utf-8"))
        for document in plan.documents:
            _copy(archive, document)
        for entry in plan.entries:
            bytes_ = journal_members.entry_bytes(entry)
            archive.add_bytes(f"journal/entries/{entry.sequence}.json", bytes_)
            archive.add_bytes(
                f"journal/proofs/{entry.sequence}.json", json_bytes(plan.proofs[entry.sequence])
            )
        archive.add_bytes(NOTE, plan.checkpoint.note)
        archive.add_bytes(TSR, plan.checkpoint.timestamp_response)
        chain = trust.chain_of(journal_members.journal_certificate_file())
        archive.add_bytes(JOURNAL_PEM, trust.pem(chain))
        archive.add_bytes(AUTHORITIES_PEM, trust.authorities_pem())
        members = dict(archive.digests)
        archive.add_bytes(MANIFEST, json_bytes(_manifest(plan, members)))
    return members


def _manifest(plan: _Plan, members: dict[str, str]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "signification": plan.signification.pk,
        "reference": plan.signification.reference,
        "created_at": plan.created_at.astimezone(PARIS).isoformat(),
        "members": members,
    }


def _copy(archive: HashingZip, document: Artefact) -> None:
    try:
        with document.open() as source:
            found = archive.add_stream(document.name, source, document.size)
    except (OSError, KeyError, zipfile.BadZipFile, work_store.MissingWorkFile) as missing:
        raise BundleRefused(
            gettext(
                "Le document %(name)s est introuvable dans le stockage : le dossier de "
                "preuve ne peut pas être constitué."
            )
            % {"name": document.name}
        ) from missing
    if document.sha256 and found != document.sha256:
        raise BundleRefused(
            gettext(
                "Le document %(name)s ne correspond plus à l'empreinte enregistrée lors de "
                "son dépôt : le dossier de preuve ne peut pas être constitué."
            )
            % {"name": document.name}
        )


def _readme(plan: _Plan) -> str:
    names = [document.name for document in plan.documents]
    remise = next((n for n in names if n.startswith("certificats/remise")), "")
    signification = plan.signification
    with translation.override(LEGAL_LANGUAGE):
        return render_to_string(
            "bundles/LISEZMOI.txt",
            {
                "platform": settings.SECURACT_PLATFORM_NAME,
                "signification": signification,
                "sent_at": _paris(signification.sent_at),
                "created_at": _paris(plan.created_at),
                "tree_size": plan.checkpoint.tree_size,
                "entries": len(plan.entries),
                "acts": [
                    n.removeprefix("actes/")
                    for n in names
                    if n.endswith(".pdf") and n.startswith("actes/")
                ],
                "returns": [n for n in names if n.startswith("retours/")],
                "has": {
                    "depot": "certificats/depot.xml" in names,
                    "message": "message-de-donnees.xml" in names,
                    "remise": remise,
                },
            },
        )


def _paris(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S") if moment else ""
