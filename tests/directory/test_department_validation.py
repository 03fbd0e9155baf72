"""The recipient's department, checked against the list of French departments."""

import pytest
from django.core.exceptions import ValidationError

from securact.directory.validators import DEPARTMENTS, validate_department
from tests.factories import RecipientFactory


def test_there_are_101_departments() -> None:
    assert len(DEPARTMENTS) == 101


@pytest.mark.parametrize("code", ["01", "75", "2A", "2B", "57", "67", "68", "95", "971", "976"])
def test_french_departments_are_accepted(code: str) -> None:
    validate_department(code)


@pytest.mark.parametrize("code", ["00", "20", "96", "975", "977", "99", "ZZ", "7"])
def test_other_codes_are_refused_in_french(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_department(code)
    assert caught.value.messages == [f"Département inconnu : « {code} » (exemples : 75, 2A, 971)."]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "stored"), [("2a", "2A"), (" 1", "01"), ("971 ", "971")])
def test_department_is_normalized(typed: str, stored: str) -> None:
    recipient = RecipientFactory.build(department=typed)
    recipient.full_clean()
    assert recipient.department == stored


@pytest.mark.django_db
def test_an_unknown_department_is_a_field_error() -> None:
    recipient = RecipientFactory.build(department="20")
    with pytest.raises(ValidationError) as caught:
        recipient.full_clean()
    assert list(caught.value.message_dict) == ["department"]
