"""Landline and mobile: validated with phonenumbers (region FR), stored in E.164."""

import pytest
from django.core.exceptions import ValidationError

from securact.directory.validators import to_e164, validate_landline, validate_mobile
from tests.factories import RecipientFactory


@pytest.mark.parametrize("number", ["01 42 34 56 78", "+33 4 91 12 34 56", "09 69 39 99 98"])
def test_landlines_are_accepted_as_landline(number: str) -> None:
    validate_landline(number)


@pytest.mark.parametrize("number", ["06 12 34 56 78", "+33 7 81 23 45 67"])
def test_mobiles_are_accepted_as_mobile(number: str) -> None:
    validate_mobile(number)


def test_a_mobile_is_not_a_landline() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_landline("06 12 34 56 78")
    assert caught.value.messages == ["Ce numéro n'est pas celui d'une ligne fixe."]


def test_a_landline_is_not_a_mobile() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_mobile("01 42 34 56 78")
    assert caught.value.messages == ["Ce numéro n'est pas un numéro de mobile."]


@pytest.mark.parametrize("number", ["0112", "06 12 34", "téléphone", "+33 6 12 34 56 78 90"])
def test_malformed_mobile_is_refused_in_french(number: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_mobile(number)
    assert caught.value.messages == ["Numéro de mobile invalide."]


def test_malformed_landline_is_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_landline("01 42")
    assert caught.value.messages == ["Numéro de téléphone fixe invalide."]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 (0)1 42 34 56 78", "+33142345678"),
        ("0690 12 34 56", "+590690123456"),  # Guadeloupe, national format
    ],
)
def test_numbers_are_normalized_to_e164(typed: str, stored: str) -> None:
    assert to_e164(typed) == stored


@pytest.mark.django_db
def test_numbers_are_stored_in_e164() -> None:
    recipient = RecipientFactory(landline="01 42 34 56 78", mobile="06 12 34 56 78")
    recipient.refresh_from_db()
    assert (recipient.landline, recipient.mobile) == ("+33142345678", "+33612345678")


@pytest.mark.django_db
def test_phones_are_optional_but_the_email_is_required() -> None:
    recipient = RecipientFactory.build(landline="", mobile="", email="")
    with pytest.raises(ValidationError) as caught:
        recipient.full_clean()
    assert list(caught.value.message_dict) == ["email"]


@pytest.mark.django_db
def test_swapped_numbers_are_field_errors() -> None:
    recipient = RecipientFactory.build(landline="06 12 34 56 78", mobile="01 42 34 56 78")
    with pytest.raises(ValidationError) as caught:
        recipient.full_clean()
    assert caught.value.message_dict == {
        "landline": ["Ce numéro n'est pas celui d'une ligne fixe."],
        "mobile": ["Ce numéro n'est pas un numéro de mobile."],
    }
