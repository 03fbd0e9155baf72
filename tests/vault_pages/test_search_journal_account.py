"""Search (name or text, kind, deposit dates, signification reference, keywords), the journal
page (newest first, paged) and its CSV export, the account page (certificate, quota,
retention rules with their sources) and the help."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from securact.vault.models import StoredFile
from securact.vault.retention import SOURCES
from tests.vault_pages.conftest import DURAND, get, history, post, text, vault_of
from tests.web.test_search_support import make_signification

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def filed(identities, put):
    vault = vault_of(identities, DURAND)
    bailiff = vault.bailiff
    dupont = make_signification(bailiff, "SAISIE-DUPONT-2026")
    other = make_signification(bailiff, "VENTE-MARTIN-2025")
    put(
        vault,
        "archive-dupont.zip",
        b"1",
        kind=StoredFile.Kind.ARCHIVE,
        signification_id=dupont.pk,
        deposited_at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
    )
    put(
        vault,
        "archive-martin.zip",
        b"2",
        kind=StoredFile.Kind.ARCHIVE,
        signification_id=other.pk,
        deposited_at=datetime(2025, 6, 1, 10, tzinfo=PARIS),
    )
    notes = put(vault, "notes.txt", b"3", deposited_at=datetime(2026, 3, 5, 10, tzinfo=PARIS))
    StoredFile.objects.filter(pk=notes.pk).update(keywords="banque relance")
    return dupont


def _found(response) -> list[str]:
    page = text(response)
    return [
        name for name in ["archive-dupont.zip", "archive-martin.zip", "notes.txt"] if name in page
    ]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"texte": "dupont"}, ["archive-dupont.zip"]),
        ({"nature": "archive"}, ["archive-dupont.zip", "archive-martin.zip"]),
        ({"du": "2026-03-01", "au": "2026-03-04"}, ["archive-dupont.zip"]),
        ({"du": "01/03/2026"}, ["archive-dupont.zip", "notes.txt"]),
        ({"reference": "saisie-dupont"}, ["archive-dupont.zip"]),
        ({"mots_cles": "relance"}, ["notes.txt"]),
        ({"texte": "archive", "au": "2025-12-31"}, ["archive-martin.zip"]),
    ],
)
def test_search_by_each_criterion(holder, filed, criteria, expected):
    response = get(holder(DURAND), "/coffre-fort/recherche/", criteria)
    assert response.status_code == 200
    assert _found(response) == expected


def test_search_results_link_the_signification_for_a_bailiff(holder, filed):
    page = text(get(holder(DURAND), "/coffre-fort/recherche/", {"reference": "DUPONT"}))
    assert f'<a href="/significations/{filed.pk}/">SAISIE-DUPONT-2026</a>' in page


def test_no_search_runs_before_a_criterion_or_on_a_bad_one(holder, filed):
    client = holder(DURAND)
    assert _found(get(client, "/coffre-fort/recherche/")) == []
    bad = get(client, "/coffre-fort/recherche/", {"du": "2026-03-05", "au": "2026-03-01"})
    assert bad.status_code == 400
    assert "précède la date de début" in text(bad)
    assert _found(bad) == []
    assert "Recherche dans le coffre-fort" not in history(get(client, "/coffre-fort/"))


def test_the_journal_page_lists_the_vaults_operations_newest_first(holder, identities, put):
    client = holder(DURAND)
    stored = put(vault_of(identities, DURAND), "notes.txt", b"n")
    post(client, "/coffre-fort/dossiers/creer/", {"dossier": "/", "nom": "Classés"})
    post(
        client,
        "/coffre-fort/fichiers/deplacer/",
        {"dossier": "/", "fichiers": [stored.pk], "cible": "/Classés/"},
    )
    page = text(get(client, "/coffre-fort/journal/"))
    moved, created, deposited = (
        page.index("Déplacement"),
        page.index("Création de dossier"),
        page.index("Dépôt"),
    )
    assert moved < created < deposited
    assert "vous (Claire DURAND)" in page
    assert "/Classés/notes.txt" in page


def test_the_journal_exports_as_csv(holder, identities, put):
    client = holder(DURAND)
    put(vault_of(identities, DURAND), "notes.txt", b"n")
    response = get(client, "/coffre-fort/journal.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-coffre-fort-')
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:4] == ["N° d'entrée", "Date", "Acteur (empreinte du certificat)", "Action"]
    assert rows[1][3:5] == ["Dépôt", "/notes.txt"]
    assert history(get(client, "/coffre-fort/"))[0] == "Export du journal du coffre-fort (CSV)"


def test_the_account_shows_the_certificate_quota_and_retention_rules(holder, identities):
    client = holder(DURAND)
    vault = vault_of(identities, DURAND)
    page = text(get(client, "/coffre-fort/compte/"))
    for fact in [
        "Claire DURAND",
        vault.certificate_issuer,
        vault.certificate_serial,
        vault.certificate_fingerprint,
        "Fin de validité",
        "10,00 Go",
        "acte signifié",
        "25 ans",
        "retour d'acte",
        "5 ans",
        SOURCES[StoredFile.Kind.ACT],
        SOURCES[StoredFile.Kind.ACT_RETURN],
        "aucune : supprimable à tout moment par son titulaire",
    ]:
        assert fact in page, fact


def test_the_help_explains_each_function(holder):
    page = text(get(holder(DURAND), "/coffre-fort/aide/"))
    for function in [
        "Créer dossier",
        "Renommer dossier",
        "Déplacer",
        "Télécharger",
        "Transférer",
        "Éditer propriétés",
        "Supprimer",
        "Recherche",
        "Preuve",
        "Mon compte",
        "Journal",
    ]:
        assert f"<dt>{function}</dt>" in page, function
