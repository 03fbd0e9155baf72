"""The recipient's deposits (F8.1): its own only, unopened first then the newest, 10/25/50
rows a page, filterable by nature, sending date, practice and state, in the URL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from securact.directory.models import Practice, Recipient
from securact.significations.models import DeliveryState, Signification
from tests.factories import BailiffFactory, PracticeFactory
from tests.portal.conftest import get

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def _references(page: str) -> list[str]:
    """The references of the table's rows, in order, read from each row's heading: the
    first act's deposited name, ``{practice}_{reference}_{YYYYMMDD}_{HHMMSS}.pdf``."""
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    headings = rows.split('<th scope="row" class="search-col-actes">')[1:]
    return [re.search(r'title="\d+_(.+?)_\d{8}_\d{6}', cell).group(1) for cell in headings]


@pytest.mark.django_db
def test_unopened_first_then_newest_and_only_its_own(bank, deposits):
    old = deposits.make("ANCIEN", MONDAY)
    deposits.make("RECENT", MONDAY + timedelta(days=2))
    opened = deposits.make("OUVERT-RECENT", MONDAY + timedelta(days=3))
    Signification.objects.filter(pk=opened.pk).update(
        opened_at=MONDAY + timedelta(days=3, hours=1), delivery_state=DeliveryState.IN_PERSON
    )
    deposits.make("AUTRE-BANQUE", MONDAY, recipient=Recipient.objects.get(siret="99999002100019"))
    deposits.make("EN-COURS", MONDAY).__class__.objects.filter(reference="EN-COURS").update(
        sent_at=None, delivery_state=""
    )

    page = get(bank, "/destinataire/").content.decode()

    assert _references(page) == ["RECENT", "ANCIEN", "OUVERT-RECENT"]
    assert "1-3 sur 3" in page
    assert "Non ouvert" in page and "Remis à personne" in page
    assert old.acts.get().deposited_name in page
    assert f'href="/destinataire/depots/{old.pk}/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 25, 50])
def test_pages_of_10_25_or_50_rows(bank, deposits, rows):
    for n in range(rows + 1):
        deposits.make(f"R{n:03d}", MONDAY + timedelta(minutes=n))

    first = get(bank, "/destinataire/", {"lignes": rows}).content.decode()
    second = get(bank, "/destinataire/", {"lignes": rows, "page": 2}).content.decode()

    assert len(_references(first)) == rows
    assert _references(first)[0] == f"R{rows:03d}"  # the newest
    assert _references(second) == ["R000"]
    assert f"1-{rows} sur {rows + 1}" in first
    assert f"{rows + 1}-{rows + 1} sur {rows + 1}" in second
    assert f'<option value="{rows}" selected>' in first


@pytest.mark.django_db
def test_an_absurd_row_count_is_10(bank, deposits):
    for n in range(11):
        deposits.make(f"R{n:03d}", MONDAY + timedelta(minutes=n))
    page = get(bank, "/destinataire/", {"lignes": "100000"}).content.decode()
    assert len(_references(page)) == 10


@pytest.mark.django_db
def test_filters_by_nature_dates_practice_and_state(bank, deposits):
    other_practice = PracticeFactory(code="7777", name="Étude Lemaire")
    lemaire = BailiffFactory(practice=other_practice, full_name="Maître LEMAIRE")
    deposits.make("SAISIE-LUNDI", MONDAY)
    deposits.make("MAINLEVEE-MARDI", MONDAY + timedelta(days=1), nature_code="mainlevee")
    deposits.make("LEMAIRE-MERCREDI", MONDAY + timedelta(days=2), bailiff=lemaire)
    remis = deposits.make("DOMICILE-JEUDI", MONDAY + timedelta(days=3))
    Signification.objects.filter(pk=remis.pk).update(delivery_state=DeliveryState.AT_HOME)
    personne = deposits.make("PERSONNE-VENDREDI", MONDAY + timedelta(days=4))
    Signification.objects.filter(pk=personne.pk).update(
        delivery_state=DeliveryState.IN_PERSON, opened_at=timezone.now()
    )

    def found(**params: str) -> list[str]:
        response = get(bank, "/destinataire/", params)
        assert response.status_code == 200
        return sorted(_references(response.content.decode()))

    assert found(nature="mainlevee") == ["MAINLEVEE-MARDI"]
    assert found(du="2026-03-10", au="2026-03-11") == ["LEMAIRE-MERCREDI", "MAINLEVEE-MARDI"]
    assert found(au="09/03/2026") == ["SAISIE-LUNDI"]
    assert found(etude="7777") == ["LEMAIRE-MERCREDI"]
    assert found(etude="lemaire") == ["LEMAIRE-MERCREDI"]
    assert found(etude="Durand") == sorted(
        ["SAISIE-LUNDI", "MAINLEVEE-MARDI", "DOMICILE-JEUDI", "PERSONNE-VENDREDI"]
    )
    assert found(etat="non-ouvert") == sorted(
        ["SAISIE-LUNDI", "MAINLEVEE-MARDI", "LEMAIRE-MERCREDI", "DOMICILE-JEUDI"]
    )
    assert found(etat="domicile") == ["DOMICILE-JEUDI"]
    assert found(etat="personne") == ["PERSONNE-VENDREDI"]
    assert Practice.objects.count() == 2


@pytest.mark.django_db
def test_absurd_filters_are_french_errors_and_run_no_search(bank, deposits):
    deposits.make("SAISIE", MONDAY)
    page = get(
        bank, "/destinataire/", {"du": "2026-03-10", "au": "2026-03-01", "etat": "perdu"}
    ).content.decode()
    assert "Le filtre n'a pas été appliqué" in page
    assert "précède la date de début" in page
    assert "Choisissez un état de la liste." in page
    assert "<table" not in page
    bad_date = get(bank, "/destinataire/", {"du": "31/02/2026"}).content.decode()
    assert "Saisissez une date valide" in bad_date
