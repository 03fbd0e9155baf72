"""Exports asked for from a page (the owner's vault account, the operators' admin), built in
the background by one task that takes the request's id.

``request_export`` records the request and journals it in one transaction, and enqueues
``build_export`` when it commits. The task is idempotent: it claims the row by
compare-and-set (pending, or running with no sign of life for ``STALLED``), builds the bag
in its scratch folder, zips it into the shared work store (``exports/<id>/…``, so that any
web process serves it), then marks the row done; a done row makes it a no-op. A run whose
worker died is taken up again by the next run of the task, which the status page enqueues
when it sees the row stalled. A transient failure (the TSA or the token while publishing
the checkpoint) is retried later, a few times.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from securact.bundles.export import write_export
from securact.bundles.export_scope import ExportScope, scope_of
from securact.bundles.models import ExportRequest
from securact.bundles.zipped import HashingZip
from securact.core import wake
from securact.core.errors import Refusal
from securact.evidence import journal
from securact.evidence.errors import SealTransientError
from securact.significations import work_store
from securact.significations.process import TASKS_CHANNEL
from securact.vault.journaling import record
from securact.vault.models import Vault

logger = logging.getLogger(__name__)

REQUESTED = "export.requested"
COMPLETED = "export.completed"
STALLED = timedelta(minutes=15)
MAX_ATTEMPTS = 5
RETRY_SECONDS = 60


def _enqueue(export_id: int, delay: float = 0) -> None:
    def send() -> None:
        if delay:
            run_after = timezone.now() + timedelta(seconds=delay)
            build_export.using(run_after=run_after).enqueue(export_id)
        else:
            build_export.enqueue(export_id)
            wake.notify(TASKS_CHANNEL)

    transaction.on_commit(send, robust=True)


def request_export(
    scope: ExportScope, *, actor: str, owner_vault: Vault | None = None
) -> ExportRequest:
    """Record and journal the request of ``actor`` (a certificate fingerprint, or the
    platform), and have it built in the background. ``owner_vault``: the vault of the
    owner who asked (only he downloads it); None for an operator."""
    with transaction.atomic():
        row = ExportRequest.objects.create(
            scope=scope.kind,
            practice=scope.practice,
            bailiff=scope.bailiff,
            recipient=scope.recipient,
            owner_vault=owner_vault,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        data = {
            "export": row.pk,
            "scope": scope.kind,
            "owner": scope.identifier,
            "message": gettext("Demande d'un export complet (réversibilité) : %(owner)s")
            % {"owner": scope.label},
        }
        if owner_vault is not None:  # in the owner's own vault journal too
            entry = record(owner_vault, REQUESTED, actor=actor, data=data)
        else:
            entry = journal.append(REQUESTED, actor=actor, data=data)
        ExportRequest.objects.filter(pk=row.pk).update(journal_sequence=entry.sequence)
        _enqueue(row.pk)
    row.refresh_from_db()
    return row


@task()
def build_export(export_id: int) -> None:
    """The background task: build export ``export_id`` unless done or being built."""
    run_export(export_id)


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(export_id: int, now: datetime) -> bool:
    claimable = Q(state=ExportRequest.State.PENDING) | Q(
        state=ExportRequest.State.RUNNING, heartbeat_at__lt=now - STALLED
    )
    return (
        ExportRequest.objects.filter(claimable, pk=export_id).update(
            state=ExportRequest.State.RUNNING,
            claimed_by=_worker(),
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            done_items=0,
            error="",
        )
        == 1
    )


def _mine(export_id: int) -> QuerySet[ExportRequest]:
    return ExportRequest.objects.filter(
        pk=export_id, state=ExportRequest.State.RUNNING, claimed_by=_worker()
    )


def _progress(export_id: int, done: int, total: int) -> None:
    _mine(export_id).update(done_items=done, total_items=total, heartbeat_at=timezone.now())


def export_filename(row: ExportRequest) -> str:
    owner = row.practice.code if row.practice else ""
    if row.recipient is not None:
        owner = row.recipient.siret
    if row.bailiff is not None:
        owner = f"{row.bailiff.practice.code}-{row.bailiff.pk}"
    stamp = timezone.localtime(row.requested_at).strftime("%Y%m%d-%H%M%S")
    return f"export-securact_{row.scope}_{owner}_{stamp}.zip"


def zip_folder(folder: Path, target: BinaryIO, top: str, moment: datetime) -> None:
    """The bag as one ZIP (under ``top/``), each file streamed, in a fixed order."""
    with HashingZip(target, moment) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            with path.open("rb") as source:
                archive.add_stream(f"{top}/{relative}", source, path.stat().st_size)


def run_export(export_id: int) -> ExportRequest | None:
    """Build the export if this run may claim it; the row afterwards (None: not claimed)."""
    if not _claim(export_id, timezone.now()):
        return None
    row = ExportRequest.objects.select_related("practice", "bailiff__practice", "recipient").get(
        pk=export_id
    )
    try:
        _build(row)
    except SealTransientError as error:
        _retry_or_fail(row, str(error))
    except Refusal as refused:
        _fail(row, refused.message)
    except Exception:
        logger.exception("export %s failed", export_id)
        _fail(row, gettext("Erreur interne pendant la constitution de l'export."))
        raise
    row.refresh_from_db()
    return row


def _build(row: ExportRequest) -> None:
    name = export_filename(row)
    key = f"exports/{row.pk}/{name}"
    with work_store.scratch() as work:
        folder = work / "bag"
        report = write_export(
            scope_of(row), folder, progress=lambda done, total: _progress(row.pk, done, total)
        )
        archive = work / name
        with archive.open("wb") as out:
            zip_folder(folder, out, name.removesuffix(".zip"), report.created_at)
        size = archive.stat().st_size
        sha256 = work_store.put(key, archive, move=True)
    now = timezone.now()
    with transaction.atomic():
        finished = _mine(row.pk).update(
            state=ExportRequest.State.DONE,
            result_key=key,
            result_sha256=sha256,
            result_size=size,
            files=report.files,
            problems=len(report.problems),
            done_items=F("total_items"),
            finished_at=now,
            heartbeat_at=now,
        )
        if finished:
            journal.append(
                COMPLETED,
                actor=journal.PLATFORM_ACTOR,
                data={
                    "export": row.pk,
                    "sha256": sha256,
                    "size": size,
                    "files": report.files,
                    "problems": len(report.problems),
                    "tree_size": report.tree_size,
                },
            )
    logger.info("export %s done: %s files, %s problems", row.pk, report.files, len(report.problems))


def _fail(row: ExportRequest, message: str) -> None:
    _mine(row.pk).update(
        state=ExportRequest.State.FAILED, error=message, finished_at=timezone.now()
    )


def _retry_or_fail(row: ExportRequest, message: str) -> None:
    row.refresh_from_db(fields=["attempts"])
    if row.attempts >= MAX_ATTEMPTS:
        _fail(row, message)
        return
    with transaction.atomic():
        _mine(row.pk).update(state=ExportRequest.State.PENDING, error=message)
        _enqueue(row.pk, delay=RETRY_SECONDS)


def resume_if_stalled(row: ExportRequest) -> None:
    """A run whose worker died (no progress for ``STALLED``): enqueue the task again (it
    claims the row only if it is still stalled)."""
    if row.state == ExportRequest.State.RUNNING and (
        row.heartbeat_at is None or row.heartbeat_at < timezone.now() - STALLED
    ):
        _enqueue(row.pk)


def open_export(row: ExportRequest) -> BinaryIO:
    """The done export's ZIP as a stream; ``work_store.MissingWorkFile`` if it is gone."""
    return work_store.open_stream(row.result_key)
