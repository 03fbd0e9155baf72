"""Recipient.service_windows_for: None if not accepted, [] for any time, else the windows."""

from datetime import time

import pytest
from pytest_django import DjangoAssertNumQueries

from securact.core.legal_calendar import HourWindow
from securact.directory.models import Recipient, Weekday
from tests.factories import (
    AcceptedNatureFactory,
    ActNatureFactory,
    RecipientFactory,
    ServiceWindowFactory,
)


@pytest.mark.django_db
def test_a_nature_not_accepted_gives_none(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    recipient, nature = RecipientFactory(), ActNatureFactory()
    AcceptedNatureFactory(nature=nature)  # accepted by someone else
    with django_assert_num_queries(1):
        assert recipient.service_windows_for(nature) is None


@pytest.mark.django_db
def test_a_nature_accepted_without_windows_gives_an_empty_list(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    accepted = AcceptedNatureFactory()
    with django_assert_num_queries(1):
        assert accepted.recipient.service_windows_for(accepted.nature) == []


@pytest.mark.django_db
def test_the_windows_of_the_nature_come_in_weekday_order(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    accepted = AcceptedNatureFactory()
    ServiceWindowFactory(
        accepted_nature=accepted, weekday=Weekday.TUESDAY, start=time(14), end=time(17)
    )
    ServiceWindowFactory(
        accepted_nature=accepted, weekday=Weekday.TUESDAY, start=time(8), end=time(12)
    )
    ServiceWindowFactory(
        accepted_nature=accepted, weekday=Weekday.MONDAY, start=time(9), end=time(10)
    )
    ServiceWindowFactory(start=time(6), end=time(7))  # another recipient's window
    with django_assert_num_queries(1):
        windows = accepted.recipient.service_windows_for(accepted.nature)
    assert windows == [
        HourWindow(0, time(9), time(10)),
        HourWindow(1, time(8), time(12)),
        HourWindow(1, time(14), time(17)),
    ]


@pytest.mark.django_db
def test_a_nature_id_is_accepted_too() -> None:
    window = ServiceWindowFactory()
    recipient = window.accepted_nature.recipient
    assert recipient.service_windows_for(window.accepted_nature.nature_id) == [
        window.as_hour_window()
    ]


@pytest.mark.django_db
def test_prefetched_windows_cost_no_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    window = ServiceWindowFactory()
    no_windows = AcceptedNatureFactory(recipient=window.accepted_nature.recipient)
    not_accepted = ActNatureFactory()
    recipient = Recipient.objects.with_service_windows().get(pk=no_windows.recipient_id)
    with django_assert_num_queries(0):
        assert recipient.service_windows_for(window.accepted_nature.nature) == [
            HourWindow(0, time(8), time(12))
        ]
        assert recipient.service_windows_for(no_windows.nature) == []
        assert recipient.service_windows_for(not_accepted) is None
