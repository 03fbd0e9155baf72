"""The delivery certificate is created once: a task run twice makes no second file, seal,
notice or journal entry; a worker that died after sealing leaves a recorded file that the
next run deposits without sealing again; one that died before leaves nothing the next run
needs; with the TSA down the engine's DELIVERY step is tried again later, nothing half-done."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from securact.dashboard.models import Category, DashboardNotice
from securact.delivery import certificate
from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import record_opening
from securact.delivery.tasks import create_delivery_certificate
from securact.evidence.journal import entries_for
from securact.significations import process, work_store
from securact.significations.models import Signification, Step
from securact.vault.models import StoredFile
from tests.delivery.conftest import RECIPIENT_ACTOR, SENT, Deposits, bailiff_with_vault

NOW = SENT + timedelta(hours=2)


def _opened(deposits: Deposits) -> Signification:
    signification = deposits.make(SENT, bailiff=bailiff_with_vault(), stored=True)
    record_opening(signification.pk, actor=RECIPIENT_ACTOR, at=SENT + timedelta(hours=1))
    return signification


def _certificates(signification: Signification) -> list[StoredFile]:
    return list(
        StoredFile.objects.filter(
            signification_id=signification.pk, kind=StoredFile.Kind.DELIVERY_CERTIFICATE
        )
    )


def _created_entries(signification: Signification) -> int:
    return entries_for(signification.pk).filter(action="delivery_certificate.created").count()


def test_task_run_twice_creates_once(deposits: Deposits, service_dirs, pki_server) -> None:
    signification = _opened(deposits)
    create_delivery_certificate.call(signification.pk)
    record = DeliveryCertificate.objects.get(pk=signification.pk)
    create_delivery_certificate.call(signification.pk)

    [stored] = _certificates(signification)
    again = DeliveryCertificate.objects.get(pk=signification.pk)
    assert again.stored_file == stored
    assert (again.pdf_sha256, again.completed_at) == (record.pdf_sha256, record.completed_at)
    assert stored.sha256 == record.pdf_sha256
    assert _created_entries(signification) == 1
    notices = DashboardNotice.objects.filter(signification=signification)
    assert notices.filter(category=Category.IN_PERSON).count() == 1


def test_worker_died_after_sealing(deposits: Deposits, service_dirs, pki_server) -> None:
    signification = _opened(deposits)
    record = DeliveryCertificate.objects.get(pk=signification.pk)
    # The first half of a run: sealed and recorded, then the worker died.
    sealed = certificate._sealed_file(certificate._load(signification.pk), record, NOW)
    record.refresh_from_db()
    assert record.stored_file is None
    assert work_store.holds(record.pdf_path, record.pdf_sha256)  # in the shared work store
    assert work_store.local_copy(record.pdf_path) == sealed  # the local store: in place
    assert not _certificates(signification)

    stored = certificate.create_certificate(signification.pk, now=NOW)

    assert stored is not None and stored.sha256 == record.pdf_sha256  # that file, not a new seal
    assert [s.pk for s in _certificates(signification)] == [stored.pk]
    assert _created_entries(signification) == 1


def test_recorded_file_lost_is_made_again(
    deposits: Deposits, service_dirs, pki_server, django_capture_on_commit_callbacks
) -> None:
    signification = _opened(deposits)
    record = DeliveryCertificate.objects.get(pk=signification.pk)
    sealed = certificate._sealed_file(certificate._load(signification.pk), record, NOW)
    sealed.unlink()  # work directory wiped before the deposit

    with django_capture_on_commit_callbacks(execute=True):
        stored = certificate.create_certificate(signification.pk, now=NOW)

    assert stored is not None and Path(stored.name).suffix == ".pdf"
    record.refresh_from_db()
    assert record.stored_file == stored and stored.sha256 == record.pdf_sha256
    assert not work_store.exists(record.pdf_path)  # deposited: the work copy is removed
    assert _created_entries(signification) == 1


def test_due_while_tsa_down_made_once_it_is_back(
    deposits: Deposits, service_dirs, pki_server
) -> None:
    """The engine's DELIVERY step: pending (with the reason) while the real TSA is stopped,
    nothing half-done; made and deposited once by the next run after it is restarted."""
    signification = _opened(deposits)  # decided in person: its step added
    pki_server.stop()
    try:
        process.execute(signification.pk, Step.Name.DELIVERY)

        step = Step.objects.get(signification=signification, name=Step.Name.DELIVERY)
        assert (step.state, step.attempts) == (Step.State.PENDING, 1)
        assert "horodatage" in step.error
        record = DeliveryCertificate.objects.get(pk=signification.pk)
        assert (record.stored_file, record.pdf_sha256) == (None, "")
        assert not _certificates(signification)
        assert _created_entries(signification) == 0
        assert process.recover_stalled() >= 1  # a worker starting now finds it again
    finally:
        pki_server.start()

    process.execute(signification.pk, Step.Name.DELIVERY)  # the engine's retry

    step = Step.objects.get(signification=signification, name=Step.Name.DELIVERY)
    assert step.state == Step.State.DONE
    assert len(_certificates(signification)) == 1
    assert _created_entries(signification) == 1
    assert Signification.objects.get(pk=signification.pk).state == signification.state


def test_undecided_signification_has_no_certificate(deposits: Deposits, service_dirs) -> None:
    signification = deposits.make(SENT)
    assert certificate.create_certificate(signification.pk, now=NOW) is None
