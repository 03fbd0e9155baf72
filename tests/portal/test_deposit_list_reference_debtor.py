"""Issue 9, item 14: a bank's list tells its deposits apart — each row shows the deposit's
reference, the debtor (from the act's essential elements, the data message's content, where
there is one) and the acts' full names; the list is filtered by reference and by debtor
name (French labels, criteria in the URL, paging kept), at a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securact.datamessage.models import ActElements, DebtorKind
from securact.directory.models import Recipient
from securact.significations.models import Signification
from tests.portal.conftest import get

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
OTHER_BANK = "99999002100019"


def with_debtor(signification: Signification, *, surname="", given="", company="") -> None:
    ActElements.objects.create(
        signification=signification,
        debtor_kind=DebtorKind.COMPANY if company else DebtorKind.PERSON,
        debtor_surname=surname,
        debtor_given_names=given,
        debtor_company_name=company,
        creditor_name="SA Crédit Exemple",
        title_kind="jugement",
        title_issuer="Tribunal judiciaire de Paris",
        title_date=date(2025, 1, 10),
        title_reference="RG 24/01234",
        principal=Decimal("1234.56"),
        interest=Decimal("0"),
        costs=Decimal("0"),
    )


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr")[1:]


@pytest.fixture
def three(deposits):
    dupont = deposits.make("RECETTE-2026-0001-DUPONT", MONDAY)
    with_debtor(dupont, surname="DUPONT", given="Jean Pierre")
    company = deposits.make("RECETTE-2026-0002-SARL", MONDAY + timedelta(minutes=1))
    with_debtor(company, company="SARL Débitrice & Fils")
    plain = deposits.make("RECETTE-2026-0003-MAINLEVEE", MONDAY + timedelta(minutes=2))
    other = deposits.make(
        "RECETTE-2026-0004-DUPONT",
        MONDAY + timedelta(minutes=3),
        recipient=Recipient.objects.get(siret=OTHER_BANK),
    )
    with_debtor(other, surname="DUPONT", given="Marie")
    return dupont, company, plain


@pytest.mark.django_db
def test_each_row_shows_the_reference_the_debtor_and_the_full_act_names(bank, three):
    dupont, _company, _plain = three
    page = get(bank, "/destinataire/").content.decode()

    head = " ".join(page.split("<thead", 1)[1].split("</thead>", 1)[0].split())
    assert 'class="search-col-reference"> Référence </th>' in head
    assert 'class="search-col-debiteur"> Débiteur </th>' in head
    rows = {row.split("RECETTE-2026-", 1)[1][:4]: row for row in _rows(page)}
    assert set(rows) == {"0001", "0002", "0003"}
    assert "RECETTE-2026-0001-DUPONT</" in rows["0001"]
    assert "DUPONT Jean Pierre" in rows["0001"]
    assert "SARL Débitrice &amp; Fils" in rows["0002"]
    assert "DUPONT" not in rows["0003"].replace("RECETTE", "")  # no data message: no debtor
    full = dupont.acts.get().deposited_name
    assert f">{full}</" in rows["0001"]  # the whole name as text, not only in a tooltip
    assert "Marie" not in page  # the other bank's debtor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"reference": "RECETTE-2026-0002"}, ["RECETTE-2026-0002-SARL"]),
        ({"reference": "mainlevee"}, ["RECETTE-2026-0003-MAINLEVEE"]),
        ({"reference": "RECETTE-2026-0004"}, []),  # the other bank's
        ({"debiteur": "dupont"}, ["RECETTE-2026-0001-DUPONT"]),  # not the other bank's Dupont
        ({"debiteur": "Jean Pierre"}, ["RECETTE-2026-0001-DUPONT"]),
        ({"debiteur": "débitrice"}, ["RECETTE-2026-0002-SARL"]),
        ({"debiteur": "marie"}, []),
        ({"reference": "RECETTE", "debiteur": "sarl"}, ["RECETTE-2026-0002-SARL"]),
    ],
)
def test_the_list_filters_by_reference_and_by_debtor_name(bank, three, criteria, expected):
    page = get(bank, "/destinataire/", criteria).content.decode()
    shown = sorted(
        reference
        for reference in (
            "RECETTE-2026-0001-DUPONT",
            "RECETTE-2026-0002-SARL",
            "RECETTE-2026-0003-MAINLEVEE",
            "RECETTE-2026-0004-DUPONT",
        )
        if f">{reference}</" in page
    )
    assert shown == expected
    assert f"1-{len(expected)} sur {len(expected)}" in page if expected else True


@pytest.mark.django_db
def test_the_filters_have_french_labels_and_stay_in_the_paging_links(bank, deposits):
    for n in range(12):
        deposits.make(f"LOT-{n:02d}", MONDAY + timedelta(minutes=n))
    page = get(bank, "/destinataire/", {"reference": "LOT", "debiteur": ""}).content.decode()
    assert "Référence de dépôt" in page
    assert "Débiteur (nom ou dénomination)" in page
    assert "1-10 sur 12" in page
    assert 'href="?reference=LOT&amp;debiteur=&amp;page=2"' in page.split("search-pager", 1)[1]
    second = get(bank, "/destinataire/", {"reference": "LOT", "page": 2}).content.decode()
    assert "11-12 sur 12" in second


@pytest.mark.django_db
def test_too_long_criteria_are_refused_in_french_before_any_query(bank, three):
    page = get(bank, "/destinataire/", {"debiteur": "x" * 201}).content.decode()
    assert "Le filtre n'a pas été appliqué" in page


@pytest.mark.django_db
def test_the_new_columns_and_filters_add_no_query_per_row(bank, deposits):
    def count(params):
        with CaptureQueriesContext(connection) as captured:
            assert get(bank, "/destinataire/", params).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        with_debtor(deposits.make(f"A{n}", MONDAY + timedelta(minutes=n)), surname=f"NOM{n}")
    get(bank, "/destinataire/")
    few = count({"lignes": 50})
    for n in range(30):
        with_debtor(deposits.make(f"B{n}", MONDAY + timedelta(hours=1, minutes=n)), company="SA")
    many = count({"lignes": 50})
    filtered = count({"lignes": 50, "reference": "B", "debiteur": "SA"})
    assert few == many == filtered
