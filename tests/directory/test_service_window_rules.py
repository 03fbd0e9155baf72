"""A service window starts before it ends (field error in forms, constraint in the database)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from securact.core.legal_calendar import HourWindow
from securact.directory.models import ServiceWindow, Weekday
from tests.factories import AcceptedNatureFactory, ServiceWindowFactory


@pytest.mark.django_db
@pytest.mark.parametrize("end", [time(8), time(7)])
def test_a_window_ending_before_it_starts_is_a_field_error(end: time) -> None:
    window = ServiceWindow(
        accepted_nature=AcceptedNatureFactory(), weekday=Weekday.MONDAY, start=time(8), end=end
    )
    with pytest.raises(ValidationError) as caught:
        window.full_clean()
    assert caught.value.message_dict == {"end": ["L'heure de fin doit suivre l'heure de début."]}


@pytest.mark.django_db
def test_the_database_refuses_an_empty_window() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceWindowFactory(start=time(12), end=time(12))


def test_a_window_reads_as_an_hour_window() -> None:
    window = ServiceWindow(weekday=Weekday.FRIDAY, start=time(8), end=time(12))
    assert window.as_hour_window() == HourWindow(weekday=4, start=time(8), end=time(12))
    assert str(window) == "vendredi 08:00–12:00"
