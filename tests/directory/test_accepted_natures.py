"""F3.3: the natures offered for a recipient are the active ones it accepts, in order."""

import pytest

from securact.directory.models import ActNature
from securact.directory.services import accepted_natures
from tests.factories import AcceptedNatureFactory, ActNatureFactory, RecipientFactory


@pytest.mark.django_db
def test_only_the_natures_the_recipient_accepts_are_offered() -> None:
    bank, other_bank = RecipientFactory(), RecipientFactory()
    garnishment = ActNature.objects.get(code="saisie-attribution")
    release = ActNature.objects.get(code="mainlevee")
    AcceptedNatureFactory(recipient=bank, nature=garnishment)
    AcceptedNatureFactory(recipient=other_bank, nature=release)
    assert list(accepted_natures(bank)) == [garnishment]


@pytest.mark.django_db
def test_inactive_natures_are_not_offered() -> None:
    bank = RecipientFactory()
    AcceptedNatureFactory(recipient=bank, nature=ActNatureFactory(is_active=False))
    assert list(accepted_natures(bank)) == []


@pytest.mark.django_db
def test_natures_come_in_sort_order() -> None:
    bank = RecipientFactory()
    late = AcceptedNatureFactory(recipient=bank, nature=ActNatureFactory(sort_order=20)).nature
    early = AcceptedNatureFactory(recipient=bank, nature=ActNatureFactory(sort_order=10)).nature
    assert list(accepted_natures(bank)) == [early, late]


@pytest.mark.django_db
def test_a_recipient_accepting_nothing_is_offered_nothing() -> None:
    assert list(accepted_natures(RecipientFactory())) == []
