"""The « numéro INSEE » (NIR) of an individual recipient: optional, checked when given."""

import pytest
from django.core.exceptions import ValidationError

from securact.directory.validators import validate_insee
from tests.factories import RecipientFactory, make_nir


@pytest.mark.parametrize("number", ["295109912611193", "2 95 10 99 126 111 93", "253072B07300470"])
def test_valid_insee_numbers_pass(number: str) -> None:
    validate_insee(number)


def test_wrong_key_is_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_insee("295109912611199")
    assert caught.value.messages == ["Numéro INSEE invalide : la clé de contrôle est fausse."]


def test_wrong_length_is_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_insee("29510991261")
    assert caught.value.messages == ["Numéro INSEE invalide : il doit compter 15 caractères."]


def test_the_factorys_numbers_are_valid() -> None:
    for serial in (0, 1, 99_999):
        validate_insee(make_nir(serial))


@pytest.mark.django_db
def test_insee_is_optional() -> None:
    RecipientFactory.build(insee="").full_clean()


@pytest.mark.django_db
def test_insee_is_stored_compact_and_upper_case() -> None:
    recipient = RecipientFactory.build(insee="2 53 07 2b 073 004 70")
    recipient.full_clean()
    recipient.save()
    recipient.refresh_from_db()
    assert recipient.insee == "253072B07300470"


@pytest.mark.django_db
def test_a_bad_insee_is_a_field_error() -> None:
    recipient = RecipientFactory.build(insee="295109912611199")
    with pytest.raises(ValidationError) as caught:
        recipient.full_clean()
    assert list(caught.value.message_dict) == ["insee"]
