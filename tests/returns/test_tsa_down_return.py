"""An act return answered while the timestamp authority is down (R.211-4: the answer has a
legal deadline): accepted and recorded at once with its time — the PDF/A in the database,
the declaration, the journal entry — then sealed and deposited by the engine's RETURN_SEAL
step once the real TSA (stopped, then restarted) answers again."""

from __future__ import annotations

from typing import Any

from securact.evidence.journal import entries_for
from securact.returns.models import ActReturn, DeclaredAccount
from securact.returns.services import submit_return
from securact.significations import process
from securact.significations.models import Signification, Step
from securact.vault.models import StoredFile
from tests.returns.conftest import ANSWERED, RECIPIENT_ACTOR, TWO_ACCOUNTS, Served


def _answer(signification: Signification) -> ActReturn:
    return submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=ANSWERED,
    )


def _step(signification: Signification) -> Step:
    return Step.objects.get(signification=signification, name=Step.Name.RETURN_SEAL)


def test_accepted_while_tsa_down_then_sealed_when_it_is_back(
    served: Served, service_dirs: Any, pki_server: Any
) -> None:
    signification = served.make()
    state_before = signification.state
    pki_server.stop()
    try:
        act_return = _answer(signification)  # not refused: recorded, with its time

        assert act_return.created_at == ANSWERED
        assert act_return.stored_file is None
        assert bytes(act_return.pending_pdf).startswith(b"%PDF")
        assert DeclaredAccount.objects.count() == 2
        received = entries_for(signification.pk).get(action="act_return.received")
        assert received.actor == RECIPIENT_ACTOR
        assert received.data["file"] == act_return.name
        assert not entries_for(signification.pk).filter(action="act_return.deposited").exists()
        step = _step(signification)
        assert step.state == Step.State.PENDING
        assert "en attente de scellement" in step.error
        # A worker starting now finds it again (its signification is not in progress).
        assert process.recover_stalled() >= 1
        # A retry while the authority is still down: pending again, nothing deposited.
        process.execute(signification.pk, Step.Name.RETURN_SEAL)
        assert _step(signification).state == Step.State.PENDING
        assert not StoredFile.objects.filter(kind=StoredFile.Kind.ACT_RETURN).exists()
    finally:
        pki_server.start()

    process.execute(signification.pk, Step.Name.RETURN_SEAL)  # the engine's next retry

    act_return.refresh_from_db()
    assert act_return.stored_file is not None
    assert act_return.stored_file.kind == StoredFile.Kind.ACT_RETURN
    assert act_return.stored_file.deposited_at == ANSWERED  # the recipient's time
    assert bytes(act_return.pending_pdf) == b""
    assert _step(signification).state == Step.State.DONE
    deposited = entries_for(signification.pk).get(action="act_return.deposited")
    assert deposited.data["sha256"] == act_return.stored_file.sha256
    signification.refresh_from_db()
    assert signification.state == state_before  # the six steps' outcome is untouched

    process.execute(signification.pk, Step.Name.RETURN_SEAL)  # a duplicate task: nothing
    assert entries_for(signification.pk).filter(action="act_return.deposited").count() == 1
