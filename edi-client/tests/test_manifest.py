"""The manifest of ``securact-edi submit``: CSV (``;`` or ``,``) and JSON, its French errors
naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from securact_edi.manifest import ManifestError, load


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "actes").mkdir()
    for name in ("a.pdf", "b.docx", "c.pdf"):
        (tmp_path / "actes" / name).write_bytes(b"%PDF-1.7\n")
    return tmp_path


@pytest.mark.parametrize("separator", [";", ","])
def test_a_csv_manifest(folder: Path, separator: str) -> None:
    rows = [
        ["reference", "siret", "nature", "fichiers", "commissaire", "elements"],
        ["DOS-1", "99999001300016", "saisie-attribution", "actes/a.pdf|actes/b.docx", "", ""],
        ["DOS-2", "99999001300016", "mainlevee", "actes/c.pdf", "Paul MARTIN", '{"x": 1}'],
    ]
    if separator == ",":
        rows[2][5] = '"{""x"": 1}"'
    text = "\n".join(separator.join(row) for row in rows) + "\n"
    manifest = load(_write(folder / "lot-1.csv", text))
    assert manifest.reference == "lot-1"
    first, second = manifest.items
    assert first.files == ((folder / "actes/a.pdf").resolve(), (folder / "actes/b.docx").resolve())
    assert (first.bailiff, first.elements) == ("", None)
    assert (second.bailiff, second.elements) == ("Paul MARTIN", {"x": 1})


def test_a_json_manifest(folder: Path) -> None:
    data = {
        "reference": "LOT-7",
        "significations": [
            {"reference": "R1", "siret": "1", "nature": "n", "fichiers": ["actes/a.pdf"]}
        ],
    }
    manifest = load(_write(folder / "lot.json", json.dumps(data)))
    assert manifest.reference == "LOT-7"
    assert [item.reference for item in manifest.items] == ["R1"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("R1;1;n;actes/absent.pdf", "Ligne 2 : fichier introuvable"),
        ("R1;;n;actes/a.pdf", "Ligne 2 : « siret » est vide."),
        ("R1;1;n;", "Ligne 2 : aucun fichier d'acte."),
        ("R1;1;n;actes/a.pdf\nR1;1;n;actes/c.pdf", "Référence en double"),
    ],
)
def test_mistakes_are_named(folder: Path, line: str, message: str) -> None:
    path = _write(folder / "lot.csv", "reference;siret;nature;fichiers\n" + line + "\n")
    with pytest.raises(ManifestError, match=message):
        load(path)


def test_missing_columns_and_too_many_items(folder: Path) -> None:
    with pytest.raises(ManifestError, match="Colonnes manquantes"):
        load(_write(folder / "lot.csv", "reference;siret\nR1;1\n"))
    many = [
        {"reference": f"R{n}", "siret": "1", "nature": "n", "fichiers": ["actes/a.pdf"]}
        for n in range(1001)
    ]
    with pytest.raises(ManifestError, match="au plus 1000"):
        load(_write(folder / "lot.json", json.dumps({"significations": many})))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
