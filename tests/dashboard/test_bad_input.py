"""Bad input in the table's URL or forms: a French message and a sensible page, or a French
404 — never a 500, never someone else's data."""

from __future__ import annotations

import pytest

from securact.dashboard.services import category_page
from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message", "number"),
    [
        ({"page": "0"}, "Numéro de page invalide : voici la première page.", 1),
        ({"page": "-3"}, "Numéro de page invalide : voici la première page.", 1),
        ({"page": "deux"}, "Numéro de page invalide : voici la première page.", 1),
        ({"page": "9" * 5000}, "Numéro de page invalide : voici la première page.", 1),
        ({"page": "99999999999999999999"}, "La page demandée n'existe pas", 2),
    ],
)
def test_absurd_page_numbers(notices, bailiff, params, message, number):
    notices.make(bailiff, 11)
    page = category_page(bailiff, "awaiting", **params)
    assert page.number == number
    assert any(text.startswith(message) for text in page.messages)
    assert page.rows


@pytest.mark.django_db
def test_rows_per_page_other_than_10_25_50(notices, bailiff):
    notices.make(bailiff, 12)
    page = category_page(bailiff, "awaiting", per_page="1000")
    assert page.per_page == 10 and len(page.rows) == 10
    assert page.messages == [
        "On ne peut afficher que 10, 25 ou 50 lignes par page : 10 sont affichées."
    ]


@pytest.mark.django_db
def test_huge_filter_and_unknown_sort(notices, bailiff):
    notices.make(bailiff, 2)
    page = category_page(bailiff, "awaiting", filter_text="x" * 10_000, sort="evil;drop")
    assert page.total == 2 and page.filter_text == "" and page.sort == "-date"
    assert page.messages == [
        "Tri inconnu : les dépôts les plus récents d'abord.",
        "Le filtre est limité à 100 caractères : il n'a pas été appliqué.",
    ]


@pytest.mark.django_db
def test_pages_answer_bad_input_in_french(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    notices.make(bailiff, 3)

    page = client.get(
        "/", {"categorie": "awaiting", "page": "1e99", "lignes": "7", "filtre": "y" * 10_000}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Numéro de page invalide" in text
    assert "10, 25 ou 50 lignes" in text
    assert "limité à 100 caractères" in text
    assert "1-3 sur 3" in text

    nul = client.get("/agenda/awaiting/", {"filtre": "ZZZ\x00 '; --", "page": "\x00"}, **HTMX)
    assert nul.status_code == 200 and "Aucune notification ne correspond" in nul.content.decode()

    fragment = client.get("/agenda/awaiting/", {"page": "x", "tri": "-"}, **HTMX)
    assert fragment.status_code == 200 and "Tri inconnu" in fragment.content.decode()

    assert client.get("/agenda/nimporte-quoi/", **HTMX).status_code == 404
    assert client.get("/?categorie=nimporte-quoi").status_code == 200
    assert client.get("/agenda/notifications/abc/vu/").status_code == 404
    assert client.get(f"/agenda/notifications/{bailiff.pk}/vu/").status_code == 405
