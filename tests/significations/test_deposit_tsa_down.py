"""A vault deposit made by a step while the TSA is down (its deposit timestamp cannot be
had) is a transient error: the step goes back to pending with the French reason and a
retry, and deposits once the TSA answers again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from securact.evidence.journal import PLATFORM_ACTOR
from securact.significations import process
from securact.significations.models import Signification, Step
from securact.significations.process import Outcome
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file, recipient_vault


@pytest.fixture
def depositing(signification, settings, tmp_path, monkeypatch) -> Signification:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    source = tmp_path / "acte.pdf"
    source.write_bytes(b"%PDF-1.7 deposited by a step")

    class DepositOnly:
        def run(self, served: Signification) -> Outcome:
            deposit_file(
                recipient_vault(served.recipient),
                "acte.pdf",
                Path(source),
                depositor=PLATFORM_ACTOR,
                deposited_at=timezone.now(),
                kind=StoredFile.Kind.ACT,
                signification_id=served.pk,
            )
            return Outcome.DONE

    class Done:
        def run(self, served: Signification) -> Outcome:
            return Outcome.DONE

    for name in process.ORDER:
        monkeypatch.setitem(process.HANDLERS, name, Done)
    monkeypatch.setitem(process.HANDLERS, Step.Name.DEPOSIT, DepositOnly)
    process.start(signification)
    Step.objects.filter(
        signification=signification, name__in=[Step.Name.CONVERT, Step.Name.SIGN]
    ).update(state=Step.State.DONE)
    return signification


def test_tsa_down_at_deposit_is_retried_then_deposits(
    depositing, pki_server, django_capture_on_commit_callbacks
) -> None:
    pki_server.stop()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            process.execute(depositing.pk, Step.Name.DEPOSIT)
    finally:
        pki_server.start()
    step = Step.objects.get(signification=depositing, name=Step.Name.DEPOSIT)
    assert step.state == Step.State.PENDING
    assert step.error.startswith("Horodatage impossible")
    assert not StoredFile.objects.filter(signification_id=depositing.pk).exists()
    process.execute(depositing.pk, Step.Name.DEPOSIT)
    step.refresh_from_db()
    assert (step.state, step.attempts) == (Step.State.DONE, 2)
    assert StoredFile.objects.get(signification_id=depositing.pk).deposit_timestamp
