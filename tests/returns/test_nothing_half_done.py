"""Nothing half-done (a return answered while the TSA is down is accepted and sealed later:
``test_tsa_down_return.py``). Two submissions racing: the one that commits first is the
return, the other is refused as already deposited, and the vault holds one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from securact.dashboard.models import DashboardNotice
from securact.evidence.journal import entries_for
from securact.returns import sealing as return_sealing
from securact.returns.errors import ReturnRefused
from securact.returns.models import ActReturn, DeclaredAccount
from securact.returns.services import submit_return
from securact.vault.models import StoredFile
from tests.returns.conftest import ANSWERED, RECIPIENT_ACTOR, TWO_ACCOUNTS, Served


def _answer(signification: Any) -> ActReturn:
    return submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=ANSWERED,
    )


def _nothing_recorded(signification: Any) -> None:
    assert not ActReturn.objects.filter(signification=signification).exists()
    assert not DeclaredAccount.objects.exists()
    assert not StoredFile.objects.filter(kind=StoredFile.Kind.ACT_RETURN).exists()
    assert not DashboardNotice.objects.filter(signification=signification).exists()
    assert not entries_for(signification.pk).exists()


def test_racing_submissions_keep_one_return(
    served: Served, sealing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    signification = served.make()
    real_convert = return_sealing.convert_to_pdfa
    raced: list[ActReturn] = []
    calls: list[Path] = []

    def convert_while_another_commits(composed: Path, kind: Any, pdfa: Path, level: Any) -> None:
        real_convert(composed, kind, pdfa, level)
        calls.append(pdfa)
        if len(calls) == 1:  # the first submission, between its checks and its transaction
            raced.append(_answer(signification))

    monkeypatch.setattr(return_sealing, "convert_to_pdfa", convert_while_another_commits)
    with pytest.raises(ReturnRefused) as refused:
        _answer(signification)
    assert "Un retour d'acte a déjà été déposé pour cette signification" in refused.value.message
    assert list(ActReturn.objects.filter(signification=signification)) == raced
    assert StoredFile.objects.filter(kind=StoredFile.Kind.ACT_RETURN).count() == 1
    assert DeclaredAccount.objects.count() == 2
    assert entries_for(signification.pk).filter(action="act_return.deposited").count() == 1
