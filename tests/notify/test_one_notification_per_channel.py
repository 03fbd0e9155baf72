"""The database itself holds at most one alert per signification and channel."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from securact.notify.models import Notification


@pytest.mark.django_db
def test_a_second_email_record_for_one_signification_is_refused() -> None:
    Notification.objects.create(signification_id=7, channel="email", to="a@b.example")
    Notification.objects.create(signification_id=7, channel="sms", to="+33612345678")
    Notification.objects.create(signification_id=8, channel="email", to="a@b.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(signification_id=7, channel="email", to="c@d.example")


@pytest.mark.django_db
def test_a_sent_record_without_a_time_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            signification_id=7, channel="sms", to="+33612345678", status="sent"
        )


@pytest.mark.django_db
def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(signification_id=7, channel="fax", to="0142345678")
