"""The RETURN_SEAL step: seal an accepted act return and deposit it in the bailiff's vault.

The recipient's answer was accepted at once (``services.submit_return``): checked, drawn,
converted to PDF/A-2b and kept on its ``ActReturn`` row (``pending_pdf``), journaled as
received. This event step of the engine seals it when the timestamp authority answers
(``TransientStepError`` retried with the engine's backoff while it does not), deposits it
(at the time the recipient answered) and journals the deposit. Idempotent: the vault entry,
the row's ``stored_file``, the notice and the journal entry are one transaction, done once.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from securact.dashboard.models import Category
from securact.dashboard.services import notify
from securact.evidence import journal
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.evidence.pdf_layout import LEGAL_LANGUAGE
from securact.evidence.pdf_seal import seal_pdf
from securact.returns.models import ActReturn
from securact.significations import work_store
from securact.significations.models import Signification, Step
from securact.significations.process import (
    Outcome,
    PermanentStepError,
    TransientStepError,
    handler,
)
from securact.significations.vault_folders import bailiff_vault, evidence_folder
from securact.vault.models import StoredFile
from securact.vault.services import VaultConflict, deposit_file, store_content


@handler(Step.Name.RETURN_SEAL)
class SealReturn:
    def run(self, signification: Signification) -> Outcome:
        act_return = ActReturn.objects.get(signification=signification)
        if act_return.stored_file_id is not None:
            return Outcome.DONE
        # The answer waits in the database (``pending_pdf``): any worker may seal it.
        with work_store.scratch() as folder:
            pdfa = folder / "pdfa.pdf"
            pdfa.write_bytes(bytes(act_return.pending_pdf))
            sealed = folder / "sealed.pdf"
            try:
                seal_pdf(pdfa, sealed)
            except SealTransientError as error:
                raise TransientStepError(_waiting_message(error)) from error
            except SealConfigurationError as error:
                raise PermanentStepError(str(error)) from error
            with translation.override(LEGAL_LANGUAGE):
                _deposit(signification, act_return, sealed)
        return Outcome.DONE


def _waiting_message(error: Exception) -> str:
    return gettext(
        "Retour d'acte reçu, en attente de scellement (nouvel essai plus tard) : %(reason)s"
    ) % {"reason": error}


def _deposit(signification: Signification, act_return: ActReturn, sealed: Path) -> None:
    at = act_return.created_at  # the recipient's answer time, as received
    content = store_content(sealed)  # before the transaction: the TSA is a network call
    with transaction.atomic():
        try:
            stored = deposit_file(
                bailiff_vault(signification),
                act_return.name,
                content,
                depositor=act_return.author_fingerprint,
                deposited_at=at,
                folder=evidence_folder(signification, at),
                kind=StoredFile.Kind.ACT_RETURN,
                signification_id=signification.pk,
            )
        except VaultConflict as error:
            raise PermanentStepError(str(error)) from error
        first = ActReturn.objects.filter(
            signification=signification, stored_file__isnull=True
        ).update(stored_file=stored, pending_pdf=b"", name=stored.name)
        if not first:
            return
        # The notice before the journal: the journal's lock is taken last by every writer.
        notify(signification, Category.ACT_RETURN, at=at)
        journal.append(
            journal.Action.ACT_RETURN_DEPOSITED,
            actor=journal.PLATFORM_ACTOR,
            signification_id=signification.pk,
            data={
                "file": stored.name,
                "sha256": stored.sha256,
                "size": stored.size,
                "answered_at": at.isoformat(),
                "message": gettext(
                    "Réponse du destinataire scellée : %(file)s, déposé dans le coffre-fort "
                    "du commissaire de justice"
                )
                % {"file": stored.name},
            },
        )
