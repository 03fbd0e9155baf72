"""The ``24h`` rule (the manual, the default) at its edges: an opening one second before
the deadline is *à personne*, delivered at the opening; one second after, or at the deadline
itself, it is *à domicile*, delivered at the deadline."""

from __future__ import annotations

from datetime import timedelta

from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import record_opening
from securact.significations.models import DeliveryState, Signification
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits

SECOND = timedelta(seconds=1)


def test_deadline_is_24_hours_after_sending(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    assert signification.delivery_deadline == SENT + timedelta(hours=24)


def test_download_one_second_before_deadline_is_in_person(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    opened = SENT + timedelta(hours=24) - SECOND
    delivery = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=opened)
    assert delivery.decided
    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.IN_PERSON
    assert signification.opened_at == signification.delivered_at == opened
    assert DeliveryCertificate.objects.get(signification=signification).mode == "personne"


def test_download_one_second_after_deadline_is_at_home(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    deadline = SENT + timedelta(hours=24)
    delivery = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=deadline + SECOND)
    assert delivery.decided
    assert delivery.state == DeliveryState.AT_HOME
    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.AT_HOME
    assert signification.delivered_at == deadline  # the deadline, not the download
    assert signification.opened_at == deadline + SECOND  # still recorded (art. 663)


def test_download_at_the_deadline_itself_is_at_home(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    deadline = SENT + timedelta(hours=24)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=deadline)
    signification.refresh_from_db()
    assert (signification.delivery_state, signification.delivered_at) == (
        DeliveryState.AT_HOME,
        deadline,
    )


def test_later_downloads_change_nothing(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    first = SENT + timedelta(hours=2)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=first)
    again = record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=first + timedelta(hours=30))
    assert not again.decided
    assert (again.state, again.opened_at, again.delivered_at) == (
        DeliveryState.IN_PERSON,
        first,
        first,
    )
    assert Signification.objects.get(pk=signification.pk).opened_at == first
