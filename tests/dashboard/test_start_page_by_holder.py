"""The start page: the dashboard for a bailiff (the four categories in the manual's words and
order, with the certificate facts on the side); a welcome for an operator; a recipient goes
to its portal."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
def test_bailiff_sees_the_four_categories_with_counts(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    notices.make(bailiff, 2)
    notices.make(bailiff, 1, "act_return")

    page = client.get("/").content.decode()

    labels = [
        "Significations en attente de consultation",
        "Significations considérées comme remises à personne",
        "Significations considérées comme remises à domicile",
        "Retours d&#x27;acte en attente de consultation",
    ]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    assert 'id="count-awaiting">2</span>' in page
    assert 'id="count-in_person">0</span>' in page
    assert 'id="count-act_return">1</span>' in page
    assert 'hx-get="/agenda/awaiting/" hx-trigger="toggle once"' in page
    assert "valide jusqu'au" in page  # the certificate facts, on the side
    assert "<table" not in page  # closed until asked


@pytest.mark.django_db
def test_category_opens_without_javascript(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    (notice,) = notices.make(bailiff, 1, "at_home")

    page = client.get("/?categorie=at_home").content.decode()

    assert '<details class="dash-category" id="cat-at_home" open>' in page
    assert notice.reference in page
    for header in ["Référence de dépôt", "Date de dépôt", "Fichier déposé", "Destinataire"]:
        assert f">{header}</a></th>" in page or f">{header} <span" in page
    assert '<th scope="col"' in page
    assert "Dépôt de l&#x27;attestation de remise à domicile" in page
    # The fragment URL sends a browser without htmx to the full page.
    redirect = client.get("/agenda/at_home/?page=1")
    assert redirect.status_code == 302
    assert redirect["Location"] == "/?page=1&categorie=at_home#cat-at_home"
    assert client.get("/agenda/at_home/", **HTMX).content.decode().startswith("\n<div class")


@pytest.mark.django_db
def test_recipient_goes_to_its_portal_and_gets_no_bailiff_actions(signed_in_bailiff, notices):
    client, _none = signed_in_bailiff("recipient-banque-test")
    start = client.get("/")
    assert start.status_code == 302
    assert start["Location"] == "/destinataire/"  # the recipient's portal
    text = client.get(start["Location"]).content.decode()
    assert "Bienvenue, BANQUE TEST." in text
    assert "Mes significations" in text
    assert "dash-category" not in text
    assert client.get("/agenda/awaiting/", **HTMX).status_code == 403
    assert client.post("/agenda/notifications/1/vu/").status_code == 403


@pytest.mark.django_db
def test_operator_gets_the_administration_link(signed_in_bailiff):
    client, _none = signed_in_bailiff("operator")
    text = client.get("/").content.decode()
    assert 'href="/admin/"' in text
    assert "dash-category" not in text
