"""An act nature that expects a return names it, in capitals fit for a file name."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ActNatureFactory


@pytest.mark.django_db
def test_a_nature_expecting_a_return_needs_a_return_label() -> None:
    nature = ActNatureFactory.build(expects_return=True, return_label="")
    with pytest.raises(ValidationError) as caught:
        nature.full_clean()
    assert caught.value.message_dict == {
        "return_label": ["Indiquez le libellé du retour : cette nature en attend un."]
    }


@pytest.mark.django_db
def test_a_return_label_is_capitals_digits_and_underscores() -> None:
    nature = ActNatureFactory.build(expects_return=True, return_label="Saisie attribution")
    with pytest.raises(ValidationError) as caught:
        nature.full_clean()
    assert list(caught.value.message_dict) == ["return_label"]
