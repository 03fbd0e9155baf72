"""Each download is evidence: the first fixes the opening time (art. 663 CPC) and is the
ETSI ``ContentHandover``; every one, the first included, is a ``ContentAccessTracking``; the
decision is journaled once, by the platform."""

from __future__ import annotations

from datetime import timedelta

import pytest

from securact.delivery.services import NotDeposited, record_opening
from securact.evidence.journal import entries_for
from securact.significations.models import Signification
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits


def test_first_download_is_the_handover_and_each_is_tracked(deposits: Deposits) -> None:
    signification = deposits.make(SENT, files=2)
    second_act = signification.acts.get(position=2)
    first = SENT + timedelta(minutes=5)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=first)
    record_opening(
        signification.pk,
        actor=RECIPIENT_ACTOR,
        at=first + timedelta(minutes=1),
        act_id=second_act.pk,
    )
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=first + timedelta(days=3))

    entries = list(entries_for(signification.pk))
    actions = [entry.action for entry in entries]
    assert actions == [
        "act.opened",
        "act.downloaded",
        "delivery.in_person",
        "act.downloaded",
        "act.downloaded",
    ]
    events = [entry.data.get("etsi_event") for entry in entries]
    assert events[0] == "ContentHandover"
    assert events[1] == events[3] == events[4] == "ContentAccessTracking"
    assert entries[0].actor == RECIPIENT_ACTOR
    assert entries[2].actor == "platform"
    assert entries[0].data["at"] == first.isoformat()
    assert entries[3].data["file"] == second_act.deposited_name
    assert "Première ouverture" in entries[0].data["message"]
    assert "Remise à personne" in entries[2].data["message"]
    assert entries[2].data["rule"] == "24h"
    assert Signification.objects.get(pk=signification.pk).opened_at == first


def test_undeposited_signification_cannot_be_opened(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    Signification.objects.filter(pk=signification.pk).update(
        delivery_state="", delivery_deadline=None, sent_at=None
    )
    with pytest.raises(NotDeposited):
        record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT)
    assert not entries_for(signification.pk).exists()


def test_naive_time_is_refused(deposits: Deposits) -> None:
    signification = deposits.make(SENT)
    with pytest.raises(ValueError, match="aware"):
        record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT.replace(tzinfo=None))
