"""The awaiting → delivered rule: a delivery notice (à personne / à domicile) takes the
signification out of "awaiting consultation"; a late awaiting call does not bring it back;
an act return resolves nothing."""

from __future__ import annotations

import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import notify, notify_awaiting, unviewed_counts


@pytest.mark.django_db
def test_delivery_resolves_the_awaiting_notice(notices, bailiff):
    (awaiting,) = notices.make(bailiff, 1)
    signification = awaiting.signification

    delivered = notify(signification, Category.IN_PERSON)
    notify_awaiting(signification)  # the deposit step run again later

    awaiting.refresh_from_db()
    assert awaiting.resolved_at is not None and awaiting.viewed_at is not None
    assert delivered.event == "Dépôt de l'attestation de remise à personne"
    assert unviewed_counts(bailiff) == {
        "awaiting": 0,
        "in_person": 1,
        "at_home": 0,
        "act_return": 0,
    }
    assert DashboardNotice.objects.filter(signification=signification).count() == 2


@pytest.mark.django_db
def test_awaiting_created_after_delivery_is_born_resolved(notices, bailiff):
    signification = notices.signification(bailiff)
    notify(signification, Category.AT_HOME, "Remise à domicile")
    late = notify_awaiting(signification)
    assert late.resolved_at is not None
    assert unviewed_counts(bailiff)["awaiting"] == 0


@pytest.mark.django_db
def test_act_return_leaves_the_other_notices_alone(notices, bailiff):
    (awaiting,) = notices.make(bailiff, 1)
    notify(awaiting.signification, Category.ACT_RETURN)
    awaiting.refresh_from_db()
    assert awaiting.viewed_at is None
