"""The manifest: every member listed with its SHA-256, nothing unlisted, nothing missing."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from securact_verifier.bundle import MANIFEST, Bundle, Check, failed, passed

FORMAT = "securact-evidence-bundle/1"
KEYS = {"format", "signification", "reference", "created_at", "members"}
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def read_manifest(bundle: Bundle) -> tuple[dict[str, Any] | None, str]:
    """The parsed manifest, or None and why it cannot be used."""
    if MANIFEST in bundle.damaged:
        return None, f"illisible dans l'archive ({bundle.damaged[MANIFEST]})"
    data = bundle.members.get(MANIFEST)
    if data is None:
        return None, "absent du dossier"
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"JSON illisible ({exc})"
    if not isinstance(manifest, dict) or set(manifest) != KEYS:
        return None, f"structure inattendue (clés attendues : {', '.join(sorted(KEYS))})"
    problem = _field_problem(manifest)
    return (None, problem) if problem else (manifest, "")


def _field_problem(manifest: dict[str, Any]) -> str:
    if manifest["format"] != FORMAT:
        return f"format {manifest['format']!r} inconnu (attendu {FORMAT})"
    if not isinstance(manifest["signification"], int) or manifest["signification"] <= 0:
        return "numéro de signification invalide"
    if not isinstance(manifest["reference"], str) or not manifest["reference"].strip():
        return "référence de signification absente"
    try:
        created = datetime.fromisoformat(str(manifest["created_at"]))
    except ValueError:
        return "date de constitution illisible"
    if created.tzinfo is None:
        return "date de constitution sans fuseau horaire"
    members = manifest["members"]
    if not isinstance(members, dict) or not members:
        return "liste des fichiers absente"
    for name, digest in members.items():
        if not isinstance(digest, str) or not _HEX64.match(digest):
            return f"empreinte de {name} invalide"
    return ""


def check_manifest(bundle: Bundle) -> list[Check]:
    """One line for the manifest itself, then one ÉCHEC line per member in fault."""
    manifest, problem = read_manifest(bundle)
    if manifest is None:
        return [failed(MANIFEST, problem)]
    listed: dict[str, str] = manifest["members"]
    present = (set(bundle.members) | set(bundle.damaged)) - {MANIFEST}
    lines: list[Check] = []
    for name in sorted(present | set(listed)):
        if name in bundle.damaged:
            lines.append(failed(name, f"illisible dans l'archive ({bundle.damaged[name]})"))
        elif name not in listed:
            lines.append(failed(name, "présent dans l'archive mais absent du manifeste"))
        elif name not in bundle.members:
            lines.append(failed(name, "listé dans le manifeste mais absent de l'archive"))
        elif hashlib.sha256(bundle.members[name]).hexdigest() != listed[name]:
            lines.append(failed(name, "empreinte SHA-256 différente de celle du manifeste"))
    if lines:
        return [failed(MANIFEST, f"{len(lines)} fichier(s) non conforme(s)"), *lines]
    return [
        passed(
            MANIFEST,
            f"{len(listed)} fichiers, empreintes SHA-256 conformes, aucun fichier en trop "
            f"(signification {manifest['signification']}, référence {manifest['reference']})",
        )
    ]
