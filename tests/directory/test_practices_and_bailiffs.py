"""Practices (études) have a digits-only code; a bailiff's name is unique in its practice."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from securact.directory.models import Practice
from tests.factories import BailiffFactory, PracticeFactory


def test_practice_reads_code_then_name() -> None:
    assert str(Practice(code="9991", name="Étude Durand")) == "9991 — Étude Durand"


@pytest.mark.django_db
def test_practice_code_has_digits_only() -> None:
    with pytest.raises(ValidationError) as caught:
        Practice(code="99A1", name="Étude").full_clean()
    assert caught.value.message_dict == {
        "code": ["Le code de l'étude ne doit contenir que des chiffres."]
    }


@pytest.mark.django_db
def test_bailiff_function_defaults_to_commissaire_de_justice() -> None:
    assert BailiffFactory().function == "Commissaire de justice"


@pytest.mark.django_db
def test_same_bailiff_name_twice_in_a_practice_is_refused() -> None:
    bailiff = BailiffFactory(full_name="Maître Martin")
    duplicate = BailiffFactory.build(practice=bailiff.practice, full_name="Maître Martin")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.messages == [
        "Un commissaire de justice de ce nom existe déjà dans cette étude."
    ]
    with pytest.raises(IntegrityError):
        duplicate.save()


@pytest.mark.django_db
def test_same_bailiff_name_in_two_practices_is_allowed() -> None:
    BailiffFactory(full_name="Maître Martin", practice=PracticeFactory(code="9991"))
    BailiffFactory(full_name="Maître Martin", practice=PracticeFactory(code="9992")).full_clean()
