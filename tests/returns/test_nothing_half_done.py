"""Nothing half-done: when the seal cannot be made (TSA and revocation services down) the
return is refused as « réessayez », nothing is recorded and the work directory is empty; the
same return then goes through. Two submissions racing: the one that commits first is the
return, the other is refused as already deposited, and the vault holds one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from securact.dashboard.models import DashboardNotice
from securact.evidence.journal import entries_for
from securact.returns import sealing as return_sealing
from securact.returns.errors import ReturnRefused, ReturnUnavailable
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


def test_seal_unavailable_records_nothing_and_a_retry_succeeds(
    served: Served, service_dirs: Any, pki_server: Any
) -> None:
    signification = served.make()
    pki_server.stop()
    try:
        with pytest.raises(ReturnUnavailable) as refused:
            _answer(signification)
    finally:
        pki_server.start()
    assert "Réessayez dans quelques minutes" in refused.value.message
    _nothing_recorded(signification)
    assert list((Path(service_dirs.work) / str(signification.pk)).iterdir()) == []

    assert _answer(signification).stored_file.kind == StoredFile.Kind.ACT_RETURN


def test_racing_submissions_keep_one_return(
    served: Served, sealing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    signification = served.make()
    real_seal = return_sealing.seal_as_pdfa
    raced: list[ActReturn] = []
    calls: list[Path] = []

    def seal_while_another_commits(composed: Path, sealed: Path) -> None:
        real_seal(composed, sealed)
        calls.append(sealed)
        if len(calls) == 1:  # the first submission, between its checks and its transaction
            raced.append(_answer(signification))

    monkeypatch.setattr(return_sealing, "seal_as_pdfa", seal_while_another_commits)
    with pytest.raises(ReturnRefused) as refused:
        _answer(signification)
    assert "Un retour d'acte a déjà été déposé pour cette signification" in refused.value.message
    assert list(ActReturn.objects.filter(signification=signification)) == raced
    assert StoredFile.objects.filter(kind=StoredFile.Kind.ACT_RETURN).count() == 1
    assert DeclaredAccount.objects.count() == 2
    assert entries_for(signification.pk).filter(action="act_return.deposited").count() == 1
