"""normalize_name: the form of names that search compares (case and accents ignored)."""

import pytest

from securact.directory.services import normalize_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Société Générale", "societe generale"),
        ("  CRÉDIT   AGRICOLE  ", "credit agricole"),
        ("Caisse d'Épargne Île-de-France", "caisse d epargne ile de france"),
        ("Œuvre Sociale", "oeuvre sociale"),
        ("BNP PARIBAS S.A.", "bnp paribas s a"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_names_are_case_folded_accent_free_words(name: str, normalized: str) -> None:
    assert normalize_name(name) == normalized
