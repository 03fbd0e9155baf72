"""The recipient answers from its portal (``/destinataire/depots/<id>/repondre/``): the
deposit page offers « Répondre », the page shows the R.211-4 deadline and the form; a
declaration of two accounts is deposited (303, then the page shows it); wrong values come
back as French field errors; a second answer is refused; another bank's deposit is a 404."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.returns.models import ActReturn, GarnishmentDeclaration
from securact.significations.models import Signification
from tests.portal.conftest import OTHER_BANK, durand, get, holder, post  # noqa: F401
from tests.returns.conftest import SENT, recipient_pdf
from tests.web.test_search_support import make_signification

TWO_ACCOUNTS_POST = {
    "comptes-TOTAL_FORMS": "3",
    "comptes-INITIAL_FORMS": "0",
    "comptes-MIN_NUM_FORMS": "0",
    "comptes-MAX_NUM_FORMS": "100",
    "declaration-debtor_kind": "personne_physique",
    "declaration-protected_balance": "635,71",
    "comptes-0-kind": "courant",
    "comptes-0-number": "FR76 3000 6000 0112 3456 7890 189",
    "comptes-0-balance": "1 234,56",
    "comptes-0-direction": "crediteur",
    "comptes-1-kind": "livret",
    "comptes-1-number": "LIV-000987654",
    "comptes-1-balance": "20500",
    "comptes-1-direction": "crediteur",
}


def _url(signification: Signification) -> str:
    return f"/destinataire/depots/{signification.pk}/repondre/"


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def deposit(holder: Any, identities: Any, service_dirs: Any) -> Signification:  # noqa: F811
    return make_signification(durand(identities), "PORTAIL-1", sent_at=SENT)


@pytest.mark.django_db
def test_the_bank_answers_with_two_accounts(
    holder: Any,  # noqa: F811
    deposit: Signification,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same afternoon: within the deadline.
    monkeypatch.setattr("securact.core.clock.now", lambda: SENT + timedelta(hours=3))
    bank = holder("recipient-banque-test")
    detail = _page(get(bank, f"/destinataire/depots/{deposit.pk}/"))
    assert _url(deposit) in detail and "Répondre" in detail

    form = _page(get(bank, _url(deposit)))
    assert "Réponse attendue au plus tard le <strong>mercredi 11 mars 2026</strong>" in form
    assert 'name="comptes-0-number"' in form and 'name="retour-pdf"' in form

    response = post(bank, _url(deposit), TWO_ACCOUNTS_POST)
    assert response.status_code == 303, _page(response)
    act_return = ActReturn.objects.get(signification=deposit)
    assert act_return.declaration.accounts.count() == 2
    assert DashboardNotice.objects.filter(
        signification=deposit, category=Category.ACT_RETURN
    ).exists()

    done = _page(get(bank, _url(deposit)))
    assert "Réponse déposée" in done and act_return.name in done
    assert "respecté" in done

    again = post(bank, _url(deposit), TWO_ACCOUNTS_POST)
    assert again.status_code == 400
    assert ActReturn.objects.filter(signification=deposit).count() == 1


@pytest.mark.django_db
def test_wrong_values_are_french_field_errors(holder: Any, deposit: Signification) -> None:  # noqa: F811
    bank = holder("recipient-banque-test")
    wrong = dict(TWO_ACCOUNTS_POST)
    wrong["declaration-protected_balance"] = "-5"
    wrong["comptes-1-number"] = "X" * 35
    response = post(bank, _url(deposit), wrong)
    assert response.status_code == 400
    page = _page(response)
    assert "Votre réponse n'a pas été déposée : corrigez les points signalés." in page
    assert "Le solde bancaire insaisissable ne peut pas être négatif" in page
    assert "ne peut pas dépasser 34 caractères" in page
    assert not ActReturn.objects.filter(signification=deposit).exists()


@pytest.mark.django_db
def test_another_banks_deposit_is_not_found(holder: Any, deposit: Signification) -> None:  # noqa: F811
    other = holder(OTHER_BANK)
    assert get(other, _url(deposit)).status_code == 404
    assert post(other, _url(deposit), TWO_ACCOUNTS_POST).status_code == 404
    assert not ActReturn.objects.filter(signification=deposit).exists()


@pytest.mark.django_db
def test_the_bank_answers_with_a_pdf_alone(
    holder: Any,  # noqa: F811
    deposit: Signification,
    tmp_path: Any,
) -> None:
    bank = holder("recipient-banque-test")
    answer = recipient_pdf(tmp_path / "reponse-banque.pdf", pages=1)
    with answer.open("rb") as handle:
        response = bank.post(
            _url(deposit),
            {"comptes-TOTAL_FORMS": "3", "comptes-INITIAL_FORMS": "0", "retour-pdf": handle},
            secure=True,
        )
    assert response.status_code == 303, _page(response)
    act_return = ActReturn.objects.get(signification=deposit)
    assert act_return.uploaded_name == "reponse-banque.pdf"
    assert not GarnishmentDeclaration.objects.filter(act_return=act_return).exists()
