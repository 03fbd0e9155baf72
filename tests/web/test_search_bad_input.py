"""Absurd criteria get a French message next to the field, a 200 page that keeps what was
typed, and no search is run (no query touches the significations)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.test_search_support import get

CASES = [
    (
        {"du": "2026-03-12", "au": "2026-03-01"},
        "au",
        "La date de fin (01/03/2026) précède la date de début (12/03/2026).",
    ),
    ({"du": "31/02/2026"}, "du", "Saisissez une date valide, par exemple 31/01/2026."),
    ({"au": "demain"}, "au", "Saisissez une date valide, par exemple 31/01/2026."),
    ({"au": "9999-12-31"}, "au", "Saisissez une date jusqu&#x27;au 31/12/2099."),
    ({"du": "0001-01-01"}, "du", "Saisissez une date à partir du 01/01/2000."),
    (
        {"reference": "R" * 10_000},
        "reference",
        "Une référence compte au plus 100 caractères (10000 saisis).",
    ),
    ({"reference": "REF\x00"}, "reference", "Le caractère nul n’est pas autorisé."),
    ({"document": "d" * 300}, "document", "Un nom de document compte au plus 255 caractères"),
    ({"destinataire": "b" * 201}, "destinataire", "compte au plus 200 caractères"),
    ({"etat": "livré"}, "etat", "Choisissez un état de la liste."),
    ({"nature": "saisie\x00"}, "nature", "Choisissez une nature de la liste."),
    ({"source": "fax"}, "source", "Choisissez une source de la liste."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("criteria", "field", "message"), CASES)
def test_absurd_criteria_are_refused_in_french(signed_in, criteria, field, message):
    client = signed_in("bailiff-durand")
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "/rechercher/", criteria)

    assert response.status_code == 200
    page = response.content.decode()
    errors = page.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert message in errors
    assert "La recherche n'a pas été lancée : corrigez les critères signalés" in page
    assert "Résultat de la recherche" not in page
    assert not [q for q in queries.captured_queries if "significations_signification" in q["sql"]]
