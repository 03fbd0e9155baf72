"""A recipient's SIRET: 14 digits with right Luhn keys, stored without spaces."""

import pytest
from django.core.exceptions import ValidationError

from securact.directory.validators import validate_siret
from tests.factories import RecipientFactory

VALID = "73282932000074"


def test_valid_siret_passes() -> None:
    validate_siret(VALID)


def test_wrong_luhn_key_is_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_siret("73282932000079")
    assert caught.value.messages == ["Numéro SIRET invalide : la clé de contrôle est fausse."]


def test_wrong_length_is_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_siret("7328293200007")
    assert caught.value.messages == ["Numéro SIRET invalide : il doit compter 14 chiffres."]


def test_letters_are_refused_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_siret("7328293200007A")
    assert caught.value.messages == [
        "Numéro SIRET invalide : il ne doit contenir que des chiffres."
    ]


@pytest.mark.django_db
def test_spaces_are_removed_before_saving() -> None:
    recipient = RecipientFactory(siret="732 829 320 00074")
    recipient.refresh_from_db()
    assert recipient.siret == VALID


@pytest.mark.django_db
def test_full_clean_accepts_spaces_and_reports_a_bad_key_on_the_field() -> None:
    recipient = RecipientFactory.build(siret="732 829 320 00074")
    recipient.full_clean()
    assert recipient.siret == VALID

    recipient.siret = "732 829 320 00079"
    with pytest.raises(ValidationError) as caught:
        recipient.full_clean()
    assert caught.value.message_dict["siret"] == [
        "Numéro SIRET invalide : la clé de contrôle est fausse."
    ]


@pytest.mark.django_db
def test_a_siret_is_unique() -> None:
    RecipientFactory(siret=VALID)
    duplicate = RecipientFactory.build(siret="732 829 320 00074")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["siret"] == [
        "Un partenaire destinataire porte déjà ce numéro SIRET."
    ]
