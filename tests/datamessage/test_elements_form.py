"""The essential elements are checked with French messages next to each field: dates not in
the future, amounts not negative and in cents, SIREN keys, and what the debtor's kind
requires."""

from __future__ import annotations

from datetime import timedelta

from securact.core import clock
from securact.core.legal_calendar import PARIS
from securact.datamessage.forms import ActElementsForm
from tests.datamessage.samples import company_elements, person_elements


def _errors(**data: object) -> dict[str, list[str]]:
    form = ActElementsForm(data=data)
    assert not form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_valid_person_and_company_debtors_are_accepted() -> None:
    person = ActElementsForm(data=person_elements())
    company = ActElementsForm(data=company_elements())

    assert person.is_valid(), person.errors
    assert company.is_valid(), company.errors
    assert (
        person.save(commit=False).total
        == person.cleaned_data["principal"] + 12 + (person.cleaned_data["costs"])
    )


def test_a_birth_date_in_the_future_is_refused() -> None:
    tomorrow = (clock.now().astimezone(PARIS).date() + timedelta(days=1)).isoformat()

    errors = _errors(**person_elements(debtor_birth_date=tomorrow))

    assert errors == {"debtor_birth_date": ["La date de naissance ne peut pas être dans le futur."]}


def test_a_title_dated_in_the_future_is_refused() -> None:
    errors = _errors(**person_elements(title_date="2999-01-01"))

    assert errors == {"title_date": ["La date du titre ne peut pas être dans le futur."]}


def test_a_siren_with_a_wrong_key_or_length_is_refused() -> None:
    assert _errors(**company_elements(debtor_siren="732829321")) == {
        "debtor_siren": ["Ce SIREN est invalide : sa clé de contrôle ne correspond pas."]
    }
    assert _errors(**company_elements(debtor_siren="7328")) == {
        "debtor_siren": ["Le SIREN compte 9 chiffres."]
    }
    assert _errors(**person_elements(creditor_siren="552120223")) == {
        "creditor_siren": ["Ce SIREN est invalide : sa clé de contrôle ne correspond pas."]
    }
    spaced = ActElementsForm(data=company_elements(debtor_siren="732 829 320"))
    assert spaced.is_valid()
    assert spaced.save(commit=False).debtor_siren == "732829320"
    assert ActElementsForm(data=person_elements(creditor_siren="")).is_valid()  # optional


def test_negative_and_sub_cent_amounts_are_refused() -> None:
    errors = _errors(**person_elements(principal="-10.00", interest="1.005", costs="abc"))

    assert errors == {
        "principal": ["Le montant ne peut pas être négatif."],
        "interest": ["Deux décimales au plus (les centimes)."],
        "costs": ["Montant invalide : des euros, avec au plus deux décimales."],
    }


def test_a_person_needs_names_and_birth_a_company_its_name_and_siren() -> None:
    assert _errors(**person_elements(debtor_surname="", debtor_birth_place="")) == {
        "debtor_surname": ["Saisissez le nom du débiteur."],
        "debtor_birth_place": ["Saisissez le lieu de naissance du débiteur."],
    }
    assert _errors(**company_elements(debtor_company_name="", debtor_siren="")) == {
        "debtor_company_name": ["Saisissez la dénomination du débiteur."],
        "debtor_siren": ["Saisissez le SIREN du débiteur."],
    }


def test_what_was_typed_for_the_other_kind_is_not_kept() -> None:
    form = ActElementsForm(data=company_elements(debtor_surname="MARTIN"))

    assert form.is_valid()
    assert form.save(commit=False).debtor_surname == ""


def test_missing_creditor_title_and_kind_are_said_in_french() -> None:
    errors = _errors(**person_elements(debtor_kind="", creditor_name="", title_kind="inconnu"))

    assert errors["debtor_kind"] == ["Indiquez si le débiteur est une personne physique ou morale."]
    assert errors["creditor_name"] == ["Saisissez le nom du créancier."]
    assert errors["title_kind"][0].startswith("Sélectionnez un choix valide")
