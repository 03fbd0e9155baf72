"""The vault files of an export: each content copied from storage (``vault.storage``, in
chunks, its SHA-256 checked on the way), its metadata as JSON, its deposit timestamp as a
``.tsr``, and one line of ``fichiers.csv``.

A content missing from storage, unreadable, or whose bytes no longer hash to the recorded
SHA-256 is not copied (no altered copy passes for the file): it is a :class:`Problem`,
listed in the export's report, and the export goes on with the next file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, gettext_noop

from securact.bundles.zipped import CHUNK
from securact.vault.models import StoredFile, Vault
from securact.vault.storage import open_blob
from securact.vault.timestamping import timestamp_response

FILES = "fichiers"
METADATA = "metadonnees"
CSV_NAME = "fichiers.csv"

EXPORTED = "exporte"
MISSING = "introuvable"
ALTERED = "altere"
UNREADABLE = "illisible"

CSV_COLUMNS = [
    "id",
    "coffre_fort",
    "titulaire",
    "chemin_dans_le_coffre",
    "chemin_dans_l_export",
    "nature",
    "algorithme",
    "sha256",
    "taille",
    "deposant",
    "depose_le",
    "signification",
    "titre",
    "mots_cles",
    "conserve_jusqu_au",
    "gel_juridique",
    "horodatage_depot",
    "etat_export",
]


@dataclass(frozen=True)
class Problem:
    """A stored file whose content could not be exported as recorded."""

    file_id: int
    vault_id: int
    path: str  # in its vault
    sha256: str
    state: str  # MISSING | ALTERED | UNREADABLE
    detail: str  # French

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_id,
            "vault": self.vault_id,
            "path": self.path,
            "sha256": self.sha256,
            "state": self.state,
            "detail": self.detail,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def vault_path(stored: StoredFile) -> str:
    return f"{stored.folder.rstrip('/')}/{stored.name}"


def export_path(stored: StoredFile) -> str:
    """Where the file lies in the payload: ``fichiers/coffre-<vault>/<its path>``."""
    return f"{FILES}/coffre-{stored.vault_id}{vault_path(stored)}"


def _copy(stored: StoredFile, target: Path) -> str:
    """Copy the content; its state (EXPORTED, or why it is not) and a French detail."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open_blob(stored.sha256) as source, partial.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except FileNotFoundError:
        partial.unlink(missing_ok=True)
        return MISSING
    except OSError:
        partial.unlink(missing_ok=True)
        return UNREADABLE
    if digest.hexdigest() != stored.sha256:
        partial.unlink(missing_ok=True)
        return ALTERED
    partial.replace(target)
    return EXPORTED


DETAILS = {
    MISSING: gettext_noop("contenu introuvable dans le stockage"),
    ALTERED: gettext_noop(
        "contenu altéré : son empreinte SHA-256 ne correspond plus à celle du dépôt"
    ),
    UNREADABLE: gettext_noop("contenu illisible dans le stockage"),
}


def _metadata(stored: StoredFile, vault: Vault, state: str, tsr: str | None) -> dict[str, Any]:
    return {
        "id": stored.pk,
        "vault": vault.pk,
        "owner": str(vault.bailiff or vault.recipient),
        "path_in_vault": vault_path(stored),
        "folder": stored.folder,
        "name": stored.name,
        "export_path": export_path(stored) if state == EXPORTED else None,
        "kind": stored.kind,
        "kind_label": str(StoredFile.Kind(stored.kind).label)
        if stored.kind in StoredFile.Kind.values
        else stored.kind,
        "hash_algorithm": stored.hash_algorithm,
        "sha256": stored.sha256,
        "size": stored.size,
        "depositor": stored.depositor,
        "deposited_at": _iso(stored.deposited_at),
        "signification": stored.signification_id,
        "title": stored.title,
        "description": stored.description,
        "keywords": stored.keywords,
        "retain_until": _iso(stored.retain_until),
        "legal_hold": stored.legal_hold,
        "legal_hold_reason": stored.legal_hold_reason,
        "fixity_state": stored.fixity_state,
        "fixity_checked_at": _iso(stored.fixity_checked_at),
        "deposit_timestamp": tsr,
        "export_state": state,
    }


def _csv_row(meta: dict[str, Any]) -> list[Any]:
    return [
        meta["id"],
        meta["vault"],
        meta["owner"],
        meta["path_in_vault"],
        meta["export_path"] or "",
        meta["kind"],
        meta["hash_algorithm"],
        meta["sha256"],
        meta["size"],
        meta["depositor"],
        meta["deposited_at"],
        meta["signification"] or "",
        meta["title"],
        meta["keywords"],
        meta["retain_until"] or "",
        "oui" if meta["legal_hold"] else "non",
        meta["deposit_timestamp"] or "",
        meta["export_state"],
    ]


def stored_files(vaults: list[Vault]) -> Iterator[tuple[Vault, StoredFile]]:
    by_pk = {vault.pk: vault for vault in vaults}
    files = StoredFile.objects.filter(vault__in=vaults).order_by("vault_id", "pk")
    for stored in files.iterator(chunk_size=500):
        yield by_pk[stored.vault_id], stored


def export_files(
    vaults: list[Vault], payload: Path, tick: Callable[[], None]
) -> tuple[int, list[Problem]]:
    """Every file of ``vaults`` into ``payload``; the number exported and the problems."""
    (payload / METADATA).mkdir(parents=True, exist_ok=True)
    exported, problems = 0, []
    with (payload / CSV_NAME).open("w", encoding="utf-8", newline="") as sheet:
        writer = csv.writer(sheet, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for vault, stored in stored_files(vaults):
            state = _copy(stored, payload / export_path(stored))
            tsr = None
            if stored.deposit_timestamp:
                tsr = f"{METADATA}/{stored.pk}.tsr"
                (payload / tsr).write_bytes(timestamp_response(bytes(stored.deposit_timestamp)))
            meta = _metadata(stored, vault, state, tsr)
            (payload / METADATA / f"{stored.pk}.json").write_text(
                json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
            writer.writerow(_csv_row(meta))
            if state == EXPORTED:
                exported += 1
            else:
                problems.append(
                    Problem(
                        stored.pk,
                        vault.pk,
                        vault_path(stored),
                        stored.sha256,
                        state,
                        gettext(DETAILS[state]),
                    )
                )
            tick()
    return exported, problems
