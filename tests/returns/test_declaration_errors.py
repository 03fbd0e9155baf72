"""A declaration with wrong values gets French field errors — from the forms the portal
renders, and from the service for a declaration that comes another way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from securact.returns.declaration import AccountLine, Declaration
from securact.returns.errors import DeclarationInvalid
from securact.returns.forms import ReturnForms
from securact.returns.models import ActReturn
from securact.returns.services import submit_return
from tests.returns.conftest import ANSWERED, RECIPIENT_ACTOR, Served


def _post(**fields: str) -> dict[str, str]:
    """The portal's form as posted: one account row filled, one left blank."""
    data = {
        "comptes-TOTAL_FORMS": "2",
        "comptes-INITIAL_FORMS": "0",
        "comptes-MIN_NUM_FORMS": "0",
        "comptes-MAX_NUM_FORMS": "100",
        "declaration-debtor_kind": "personne_physique",
        "declaration-protected_balance": "635,71",
        "comptes-0-kind": "courant",
        "comptes-0-number": "FR76 3000 6000 0112 3456 7890 189",
        "comptes-0-balance": "1 234,56",
        "comptes-0-direction": "crediteur",
    }
    data.update(fields)
    return data


@pytest.fixture(autouse=True)
def _french() -> Any:
    with translation.override("fr"):
        yield


def test_a_valid_post_gives_the_declaration() -> None:
    forms = ReturnForms(
        _post(
            **{
                "comptes-1-kind": "livret",
                "comptes-1-number": "LIV 1",
                "comptes-1-balance": "20500",
                "comptes-1-direction": "debiteur",
            }
        )
    )
    assert forms.is_valid(), (forms.errors, forms.declaration_form.errors, forms.accounts.errors)
    declaration = forms.declaration()
    assert declaration is not None
    assert declaration.debtor_is_individual
    assert declaration.protected_balance == Decimal("635.71")
    assert [(a.number, a.balance, a.direction) for a in declaration.accounts] == [
        ("FR7630006000011234567890189", Decimal("1234.56"), "crediteur"),
        ("LIV1", Decimal("20500"), "debiteur"),
    ]
    assert forms.pdf() is None


def test_negative_protected_balance_is_a_field_error() -> None:
    forms = ReturnForms(_post(**{"declaration-protected_balance": "-10,00"}))
    assert not forms.is_valid()
    assert forms.declaration_form.errors["protected_balance"] == [
        "Le solde bancaire insaisissable ne peut pas être négatif : indiquez le montant sans "
        "signe (le sens créditeur ou débiteur se choisit à côté)."
    ]


def test_account_number_too_long_is_a_field_error() -> None:
    forms = ReturnForms(_post(**{"comptes-0-number": "FR76" + "1" * 31}))
    assert not forms.is_valid()
    assert forms.accounts.forms[0].errors["number"] == [
        "Le numéro de compte ne peut pas dépasser 34 caractères (la longueur d'un IBAN), "
        "espaces non comptés : celui-ci en compte 35."
    ]


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"comptes-0-balance": "-5"}, ("account", "balance"), "Le solde ne peut pas être négatif"),
        ({"comptes-0-balance": "12,345"}, ("account", "balance"), "au plus deux décimales"),
        ({"comptes-0-balance": "douze"}, ("account", "balance"), "Saisissez un montant en euros"),
        (
            {"comptes-0-number": "FR76 3000 6000 0112 3456 7890 188"},
            ("account", "number"),
            "Cet IBAN est invalide",
        ),
        ({"comptes-0-direction": ""}, ("account", "direction"), "créditeur ou débiteur"),
        ({"comptes-0-kind": ""}, ("account", "kind"), "Choisissez le type du compte."),
        (
            {"declaration-protected_balance": ""},
            ("declaration", "protected_balance"),
            "Indiquez le solde bancaire insaisissable",
        ),
        (
            {"declaration-debtor_kind": "personne_morale"},
            ("declaration", "protected_balance"),
            "ne concerne qu'un débiteur personne physique",
        ),
        (
            {"declaration-debtor_kind": ""},
            ("declaration", "debtor_kind"),
            "personne physique ou morale",
        ),
        (
            {
                "comptes-0-kind": "",
                "comptes-0-number": "",
                "comptes-0-balance": "",
                "comptes-0-direction": "",
            },
            ("declaration", "no_account"),
            "Déclarez au moins un compte",
        ),
        (
            {
                "comptes-1-kind": "courant",
                "comptes-1-number": "FR76 3000 6000 0112 3456 7890 189",
                "comptes-1-balance": "1",
                "comptes-1-direction": "debiteur",
            },
            ("account1", "number"),
            "déjà déclaré",
        ),
    ],
)
def test_field_errors_in_french(
    fields: dict[str, str], where: tuple[str, str], message: str
) -> None:
    forms = ReturnForms(_post(**fields))
    assert not forms.is_valid()
    kind, field = where
    if kind == "declaration":
        errors = forms.declaration_form.errors
    else:
        errors = forms.accounts.forms[1 if kind == "account1" else 0].errors
    assert any(message in error for error in errors.get(field, [])), (errors, forms.errors)


def test_neither_pdf_nor_declaration_is_a_page_error() -> None:
    forms = ReturnForms({"comptes-TOTAL_FORMS": "2", "comptes-INITIAL_FORMS": "0"})
    assert not forms.is_valid()
    assert forms.errors == [
        "Joignez votre réponse au format PDF ou remplissez la déclaration des comptes."
    ]


def test_a_pdf_alone_needs_no_declaration() -> None:
    forms = ReturnForms(
        {"comptes-TOTAL_FORMS": "2", "comptes-INITIAL_FORMS": "0"},
        {"retour-pdf": SimpleUploadedFile("reponse.pdf", b"%PDF-1.7 ...")},
    )
    assert forms.is_valid()
    assert forms.declaration() is None
    assert forms.pdf() is not None


def test_the_service_refuses_wrong_values_by_field(served: Served) -> None:
    signification = served.make()
    wrong = Declaration(
        debtor_is_individual=True,
        accounts=(
            AccountLine("courant", "12345678901", Decimal("10.00"), "crediteur"),
            AccountLine("courant", "X" * 40, Decimal("-1"), "crediteur"),
        ),
        protected_balance=Decimal("-635.71"),
    )
    with pytest.raises(DeclarationInvalid) as refused:
        submit_return(
            signification.pk,
            recipient=signification.recipient,
            actor=RECIPIENT_ACTOR,
            declaration=wrong,
            at=ANSWERED,
        )
    errors = refused.value.errors
    assert set(errors) == {"protected_balance", "accounts.2.number", "accounts.2.balance"}
    assert "ne peut pas être négatif" in errors["protected_balance"][0]
    assert "ne peut pas dépasser 34 caractères" in errors["accounts.2.number"][0]
    assert not ActReturn.objects.filter(signification=signification).exists()

    # The portal puts them back on its forms: the second filled row's fields.
    forms = ReturnForms(
        _post(
            **{
                "comptes-1-kind": "courant",
                "comptes-1-number": "X",
                "comptes-1-balance": "1",
                "comptes-1-direction": "crediteur",
            }
        )
    )
    assert forms.is_valid()
    forms.show_refusal(refused.value)
    assert "ne peut pas dépasser" in forms.accounts.forms[1].errors["number"][0]
    assert "négatif" in forms.declaration_form.errors["protected_balance"][0]


def test_amounts_are_text_boxes_that_take_french_amounts() -> None:
    page = str(ReturnForms().accounts.forms[0]["balance"])
    assert 'type="text"' in page and 'inputmode="decimal"' in page
