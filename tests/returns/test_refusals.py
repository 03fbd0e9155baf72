"""What a recipient may not answer, refused in French: another recipient's deposit (as if it
did not exist), a deposit not made yet, a nature that expects no return, a second return, a
return once the bailiff's mainlevée of the seizure is served."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from securact.evidence.journal import entries_for
from securact.returns.errors import ReleaseRefused, ReturnNotFound, ReturnRefused
from securact.returns.models import ActReturn
from securact.returns.releases import record_release
from securact.returns.services import submit_return
from securact.significations.models import Signification
from tests.factories import RecipientFactory
from tests.returns.conftest import (
    ANSWERED,
    BAILIFF_ACTOR,
    RECIPIENT_ACTOR,
    SENT,
    TWO_ACCOUNTS,
    Served,
)


def _answer(signification: Signification, **kwargs: object) -> ActReturn:
    options: dict = {"recipient": signification.recipient, "at": ANSWERED}
    options.update(kwargs)
    return submit_return(
        signification.pk, actor=RECIPIENT_ACTOR, declaration=TWO_ACCOUNTS, **options
    )


def test_another_recipients_deposit_is_not_found(served: Served) -> None:
    theirs = served.make()
    with pytest.raises(ReturnNotFound) as refused:
        _answer(theirs, recipient=RecipientFactory())
    assert refused.value.message == "Ce dépôt est introuvable."
    with pytest.raises(ReturnNotFound) as missing:
        submit_return(999_999, recipient=theirs.recipient, actor=RECIPIENT_ACTOR, at=ANSWERED)
    assert missing.value.message == refused.value.message  # nothing tells them apart


def test_a_deposit_not_made_yet_is_not_found(served: Served) -> None:
    pending = served.make(sent_at=None)
    with pytest.raises(ReturnNotFound):
        _answer(pending)


def test_a_nature_without_return_is_refused(served: Served) -> None:
    judgment = served.make(nature="signification-jugement")
    with pytest.raises(ReturnRefused) as refused:
        _answer(judgment)
    assert refused.value.message == (
        "Cette signification (« Signification de jugement ») n'appelle pas de retour d'acte."
    )


def test_a_second_return_is_refused(served: Served, sealing: None) -> None:
    signification = served.make()
    first = _answer(signification)
    with pytest.raises(ReturnRefused) as refused:
        _answer(signification, at=ANSWERED + timedelta(hours=1))
    assert refused.value.message == (
        "Un retour d'acte a déjà été déposé pour cette signification le 10/03/2026 à "
        "16:00:00 (heure de Paris) : il ne peut être ni remplacé ni complété."
    )
    assert ActReturn.objects.get(signification=signification) == first
    assert entries_for(signification.pk).filter(action="act_return.deposited").count() == 1


def test_the_database_refuses_a_second_return_too(served: Served, sealing: None) -> None:
    first = _answer(served.make())
    with pytest.raises(IntegrityError), transaction.atomic():
        ActReturn.objects.create(
            signification=first.signification,
            created_at=ANSWERED,
            author_fingerprint=RECIPIENT_ACTOR,
            name="x.pdf",
            deadline=first.deadline,
            on_time=True,
            stored_file=first.stored_file,
        )


def _mainlevee(served: Served, seizure: Signification, *, sent_at: object) -> Signification:
    release = served.make(
        nature="mainlevee", bailiff=seizure.bailiff, recipient=seizure.recipient, sent_at=sent_at
    )
    record_release(release.pk, seizure.pk, bailiff=seizure.bailiff, actor=BAILIFF_ACTOR, at=SENT)
    return release


def test_a_return_after_the_mainlevee_is_refused(served: Served) -> None:
    seizure = served.make()
    _mainlevee(served, seizure, sent_at=SENT + timedelta(hours=2))  # 12:30 Paris
    with pytest.raises(ReturnRefused) as refused:
        _answer(seizure)
    assert refused.value.message == (
        "Le commissaire de justice a signifié la mainlevée de cette saisie le 10/03/2026 à "
        "12:30:00 (heure de Paris) : aucune réponse n'est plus attendue."
    )
    entry = entries_for(seizure.pk).get(action="seizure.release_recorded")
    assert entry.actor == BAILIFF_ACTOR


def test_a_return_before_the_mainlevee_is_served_is_accepted(served: Served, sealing: None) -> None:
    seizure = served.make()
    _mainlevee(served, seizure, sent_at=ANSWERED + timedelta(hours=1))  # served later
    assert _answer(seizure).signification == seizure


def test_another_seizure_at_the_same_bank_is_not_released(served: Served, sealing: None) -> None:
    seizure = served.make()
    other = served.make(bailiff=seizure.bailiff, recipient=seizure.recipient)
    _mainlevee(served, seizure, sent_at=SENT + timedelta(hours=2))
    assert _answer(other).signification == other


def test_a_mainlevee_links_only_what_goes_together(served: Served) -> None:
    seizure = served.make()
    bailiff = seizure.bailiff
    not_a_release = served.make(nature="saisie-vente", bailiff=bailiff, recipient=seizure.recipient)
    elsewhere = served.make(nature="mainlevee", bailiff=bailiff)
    before = served.make(
        nature="mainlevee",
        bailiff=bailiff,
        recipient=seizure.recipient,
        sent_at=SENT - timedelta(days=1),
    )
    stranger = served.make(nature="mainlevee", recipient=seizure.recipient)
    for release, message in (
        (not_a_release, "n'est pas une mainlevée"),
        (elsewhere, "au même destinataire"),
        (before, "après la saisie"),
        (stranger, "Signification introuvable."),  # another practice's
    ):
        with pytest.raises(ReleaseRefused) as refused:
            record_release(release.pk, seizure.pk, bailiff=bailiff, actor=BAILIFF_ACTOR, at=SENT)
        assert message in refused.value.message
