"""Steps after the deposit (F4.4–F4.6): alerts, the sealed deposit certificate, the archive.

Each is idempotent: the alert service never sends twice for one signification, files go
into vaults under fixed names (same content → same entry), journal entries are written in
the same transaction as the record they describe."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from securact.datamessage.services import archive_entry
from securact.evidence import journal
from securact.significations import alerts, certificate, work_folders, work_store
from securact.significations.archive import build_archive
from securact.significations.models import Signification, Step
from securact.significations.naming import archive_name
from securact.significations.process import (
    CompletedWithWarning,
    Outcome,
    handler,
)
from securact.significations.vault_folders import archive_folder, bailiff_vault, fix_archived_at
from securact.significations.work_store import key_for
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file, store_content


def _journal_once(signification: Signification, action: str, data: dict[str, Any]) -> None:
    """Append unless this signification already has that event (a re-run step)."""
    done = journal.entries_for(signification.pk).filter(action=action).exists()
    if not done:
        journal.append(
            action, actor=journal.PLATFORM_ACTOR, signification_id=signification.pk, data=data
        )


@handler(Step.Name.ALERT)
class AlertStep:
    """F4.4: email and SMS to the recipient, each on its own; nothing here fails the service
    (a channel that cannot go out now is retried later, see ``alerts``)."""

    def run(self, signification: Signification) -> Outcome:
        for channel in alerts.channels(signification):
            alerts.attempt(signification, channel)
        warning = alerts.warning(signification.pk)
        if warning:
            raise CompletedWithWarning(warning)
        return Outcome.DONE


@handler(Step.Name.CERTIFICATE)
class CertificateStep:
    """F4.5: ``attestation_depot.xml``, sealed by the platform (XAdES-T), in the bailiff's
    vault."""

    def run(self, signification: Signification) -> Outcome:
        key = key_for(signification.pk, certificate.NAME)
        if not work_store.exists(key):
            target = work_store.output_path(key)
            certificate.write_sealed_certificate(signification, target)
            work_store.put(key, target)
        archived_at = fix_archived_at(signification)
        # Before the transaction: the TSA is a network call.
        content = store_content(work_store.local_copy(key))
        with transaction.atomic():
            stored = deposit_file(
                bailiff_vault(signification),
                certificate.NAME,
                content,
                depositor=journal.PLATFORM_ACTOR,
                deposited_at=timezone.now(),
                folder=archive_folder(signification, archived_at),
                kind=StoredFile.Kind.DEPOSIT_CERTIFICATE,
                signification_id=signification.pk,
            )
            _journal_once(
                signification,
                "deposit_certificate.created",
                {
                    "file": certificate.NAME,
                    "sha256": stored.sha256,
                    "message": gettext("Création de l'attestation de dépôt"),
                },
            )
        return Outcome.DONE


@handler(Step.Name.ARCHIVE)
class ArchiveStep:
    """F4.6: the ZIP of signed acts, their .p7s, the deposit certificate, the data message
    (F8.3, when the act has one) and a manifest."""

    def run(self, signification: Signification) -> Outcome:
        if work_folders.archived(signification.pk):  # a rerun after the files were removed
            work_folders.remove(signification.pk)
            return Outcome.DONE
        archived_at = fix_archived_at(signification)
        name = archive_name(signification.recipient.name, signification.reference, archived_at)
        entries = []
        for act in signification.acts.all():
            entries.append(
                (act.deposited_name, work_store.local_copy(act.signed_path, act.signed_sha256))
            )
            entries.append((f"{act.deposited_name}.p7s", work_store.local_copy(act.p7s_path)))
        key = key_for(signification.pk, certificate.NAME)
        entries.append((certificate.NAME, work_store.local_copy(key)))
        data_message = archive_entry(signification)  # F8.3
        if data_message is not None:
            entries.append((data_message[0], work_store.local_copy(data_message[1])))
        # Rebuilt identically by a rerun: only this step reads it, from its own disk.
        target = work_store.output_path(key_for(signification.pk, name))
        build_archive(target, entries, archived_at)
        content = store_content(target)  # before the transaction: the TSA is a network call
        with transaction.atomic():
            stored = deposit_file(
                bailiff_vault(signification),
                name,
                content,
                depositor=journal.PLATFORM_ACTOR,
                deposited_at=archived_at,
                folder=archive_folder(signification, archived_at),
                kind=StoredFile.Kind.ARCHIVE,
                signification_id=signification.pk,
            )
            _journal_once(
                signification,
                "signification.archived",
                {
                    "file": name,
                    "sha256": stored.sha256,
                    "message": gettext(
                        "Fichier %(file)s (%(nature)s) déposé dans votre coffre pour archivage"
                    )
                    % {"file": name, "nature": signification.nature.label},
                },
            )
            work_folders.remove_when_committed(signification.pk)
        return Outcome.DONE
