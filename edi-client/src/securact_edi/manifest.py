"""The manifest of a folder of acts to serve: CSV (one line per signification) or JSON.

CSV, ``;`` or ``,`` separated, a header line with these columns (French, as the API)::

    reference;siret;nature;fichiers;commissaire;elements
    DOS-4411;99999001300016;saisie-attribution;acte-4411.pdf|annexe.docx;Claire DURAND;

``fichiers``: the act's files, ``|``-separated, relative to the manifest's folder;
``commissaire`` (optional): the bailiff who signs, by default the holder of the token's
certificate; ``elements`` (optional): the act's essential elements as JSON, for a nature
whose deposits carry a data message.

JSON: ``{"reference": "LOT-…", "significations": [{"reference", "siret", "nature",
"fichiers": [...], "commissaire", "elements"}]}``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRED = ("reference", "siret", "nature", "fichiers")
MAX_ITEMS = 1000


class ManifestError(Exception):
    """The manifest cannot be used; ``str(error)`` is French and names the line."""


@dataclass(frozen=True)
class Item:
    reference: str
    siret: str
    nature: str
    files: tuple[Path, ...]
    bailiff: str = ""
    elements: dict[str, Any] | None = None


@dataclass(frozen=True)
class Manifest:
    path: Path
    reference: str
    items: list[Item] = field(default_factory=list)


def load(path: Path) -> Manifest:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"Manifeste illisible : {path} ({error})") from error
    if path.suffix.lower() == ".json":
        return _from_json(path, text)
    return _from_csv(path, text)


def _from_json(path: Path, text: str) -> Manifest:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ManifestError(f"Manifeste JSON invalide : {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("significations"), list):
        raise ManifestError("Le manifeste JSON doit avoir une liste « significations ».")
    items = [
        _item(path.parent, n, row, files=row.get("fichiers"))
        for n, row in enumerate(data["significations"], start=1)
    ]
    return _checked(Manifest(path, str(data.get("reference") or path.stem), items))


def _from_csv(path: Path, text: str) -> Manifest:
    header = text.splitlines()[0] if text else ""
    delimiter = ";" if ";" in header else ","  # the header names no column with either
    rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
    if rows and (missing := [c for c in REQUIRED if c not in rows[0]]):
        raise ManifestError(f"Colonnes manquantes dans le manifeste : {', '.join(missing)}.")
    items = []
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        files = [f for f in (row.get("fichiers") or "").split("|") if f.strip()]
        elements = (row.get("elements") or "").strip()
        try:
            parsed = json.loads(elements) if elements else None
        except ValueError as error:
            raise ManifestError(f"Ligne {n} : « elements » n'est pas du JSON ({error}).") from error
        items.append(_item(path.parent, n, {**row, "elements": parsed}, files=files))
    return _checked(Manifest(path, path.stem, items))


def _item(folder: Path, line: int, row: dict[str, Any], files: Any) -> Item:
    for column in ("reference", "siret", "nature"):
        if not str(row.get(column) or "").strip():
            raise ManifestError(f"Ligne {line} : « {column} » est vide.")
    if not isinstance(files, list) or not files:
        raise ManifestError(f"Ligne {line} : aucun fichier d'acte.")
    paths = tuple((folder / str(name).strip()).resolve() for name in files)
    for file in paths:
        if not file.is_file():
            raise ManifestError(f"Ligne {line} : fichier introuvable : {file}")
    elements = row.get("elements")
    if elements is not None and not isinstance(elements, dict):
        raise ManifestError(f"Ligne {line} : « elements » doit être un objet JSON.")
    return Item(
        reference=str(row["reference"]).strip(),
        siret=str(row["siret"]).strip(),
        nature=str(row["nature"]).strip(),
        files=paths,
        bailiff=str(row.get("commissaire") or "").strip(),
        elements=elements,
    )


def _checked(manifest: Manifest) -> Manifest:
    if not manifest.items:
        raise ManifestError("Le manifeste ne décrit aucune signification.")
    if len(manifest.items) > MAX_ITEMS:
        raise ManifestError(f"Un lot compte au plus {MAX_ITEMS} significations.")
    seen: set[str] = set()
    for item in manifest.items:
        if item.reference in seen:
            raise ManifestError(f"Référence en double dans le manifeste : {item.reference}")
        seen.add(item.reference)
    return manifest
