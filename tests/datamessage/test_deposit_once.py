"""The data message goes into the recipient's vault once: a re-run deposit step (retried,
or after a killed worker) finds the row and does nothing; a run killed after sealing but
before depositing deposits that very sealed file, not a second sealing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.datamessage.models import DataMessage
from securact.datamessage.services import DEPOSITED, deposit_data_message
from securact.directory.models import Recipient
from securact.evidence.journal import entries_for
from securact.significations import work_store
from securact.vault.models import StoredFile
from tests.datamessage.deposits import served_garnishment
from tests.web.test_search_support import declare

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 1, 17, 13, tzinfo=UTC)


@pytest.fixture
def garnishment(demo_directory, identities, settings, tmp_path, pki_server):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    settings.SECURACT_WORK_DIR = tmp_path / "work"
    durand = declare(identities, "bailiff-durand")
    bank = Recipient.objects.get(name="BANQUE TEST")
    return served_garnishment(durand, bank, "SA-ONCE", SENT, tmp_path / "work")


def _deposited(signification_id: int) -> list[StoredFile]:
    return list(
        StoredFile.objects.filter(
            signification_id=signification_id, kind=StoredFile.Kind.DATA_MESSAGE
        )
    )


def test_a_second_run_does_nothing(garnishment, tmp_path) -> None:
    first = deposit_data_message(garnishment)
    again = deposit_data_message(garnishment)

    assert first is not None and again is not None
    assert first.pk == again.pk
    (stored,) = _deposited(garnishment.pk)
    assert stored.name == "9991_SA-ONCE_20260117_140000_DONNEES.xml"
    assert stored.vault.recipient == garnishment.recipient
    assert entries_for(garnishment.pk).filter(action=DEPOSITED).count() == 1


def test_a_run_killed_after_sealing_deposits_that_sealed_file(
    garnishment, tmp_path, monkeypatch
) -> None:
    from securact.datamessage import services

    # Kept in the work store, under the signification's keys, for the next run.
    sealed = work_store.key_for(garnishment.pk, "9991_SA-ONCE_20260117_140000_DONNEES.xml")

    def killed(*args: object) -> None:
        raise SystemExit("worker killed between sealing and depositing")

    monkeypatch.setattr(services, "_deposit", killed)
    with pytest.raises(SystemExit):
        deposit_data_message(garnishment)
    monkeypatch.undo()
    sealed_once = work_store.sha256(sealed)
    assert not DataMessage.objects.exists()

    deposit_data_message(garnishment)

    (stored,) = _deposited(garnishment.pk)
    assert stored.sha256 == sealed_once


def test_a_signification_without_elements_has_no_message(garnishment, tmp_path) -> None:
    garnishment.elements.delete()

    assert deposit_data_message(garnishment) is None
    assert _deposited(garnishment.pk) == []
