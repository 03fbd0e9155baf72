"""Recording a signification: ``create_signification``, called only by the one serve call
(``workflow.serving.serve``, which every entry point uses: web form, command line,
benchmark, EDI).

It checks everything before anything is kept: the legal clock and the recipient's consent
(``can_serve``), the deposit reference, the bailiff's vault, the act's essential elements
(F8.3, ``datamessage``), each file (content, size); on any refusal the saved uploads are
removed and nothing is recorded. Then the signification, its acts, its elements and its
steps are created in one transaction and the first step is enqueued when it commits.

The accepted files go into the shared work store (``significations.work_store``, keys
``uploads/<batch>/…``) before that transaction: the worker that converts them may run on
another machine. The request's own copies are removed on the way out.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from securact.core.services import can_serve
from securact.datamessage.models import ActElements
from securact.datamessage.services import ElementsRefused, check_elements, record_elements
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.documents.services import (
    UploadRefused,
    check_total_size,
    check_upload,
    clean_file_name,
    save_upload,
)
from securact.evidence import journal
from securact.significations import process, work_store
from securact.significations.models import Act, Signification
from securact.significations.services import REFERENCE, IncomingFile, ServiceRefused
from securact.significations.work_folders import UPLOADS
from securact.vault.models import Vault


def _check_reference(bailiff: Bailiff, reference: str) -> str:
    reference = reference.strip()
    if not REFERENCE.match(reference):
        raise ServiceRefused(
            gettext(
                "Référence de dépôt invalide : 1 à 100 caractères parmi lettres sans accent, "
                "chiffres, espace, tiret, point et souligné."
            ),
            "reference",
        )
    if Signification.objects.filter(practice=bailiff.practice, reference=reference).exists():
        raise ServiceRefused(
            gettext("La référence de dépôt « %(ref)s » a déjà été utilisée par votre étude.")
            % {"ref": reference},
            "reference",
        )
    return reference


def _check_parties(
    bailiff: Bailiff, recipient: Recipient, nature: ActNature, at: datetime | None
) -> None:
    if not Vault.objects.filter(bailiff=bailiff, certificate_fingerprint__isnull=False).exists():
        raise ServiceRefused(
            gettext(
                "Votre certificat n'est rattaché à aucun coffre-fort : connectez-vous une première "
                "fois à SECURACT pour le déclarer."
            )
        )
    decision = can_serve(recipient, nature, at)
    if not decision.allowed:
        raise ServiceRefused(decision.reason, "nature")


def _check_elements(nature: ActNature, elements: Mapping[str, Any] | None) -> ActElements | None:
    """F8.3: the act's essential elements, required for a nature that needs a data message."""
    try:
        return check_elements(nature, elements)
    except ElementsRefused as refused:
        raise ServiceRefused(refused.message, refused.field) from refused


def _save_files(files: list[IncomingFile], folder: Path) -> list[tuple[Path, str, str, int]]:
    if not files:
        raise ServiceRefused(gettext("Ajoutez au moins un acte à signifier."), "files")
    saved = []
    for incoming in files:
        name = clean_file_name(incoming.name)  # every entry point: web, EDI, command line
        path = save_upload(incoming.stream, name, folder)
        saved.append((path, name, str(check_upload(path, name)), path.stat().st_size))
    check_total_size([size for _path, _name, _kind, size in saved])
    return saved


def _store_files(
    saved: list[tuple[Path, str, str, int]], batch: str
) -> list[tuple[str, str, str, int]]:
    """Into the work store (moved: the request's copy is not needed any more); each file's
    key replaces its path."""
    stored = []
    for path, name, kind, size in saved:
        key = work_store.check_key(f"{UPLOADS}{batch}/{path.name}")
        work_store.put(key, path, move=True)
        stored.append((key, name, kind, size))
    return stored


def create_signification(
    *,
    bailiff: Bailiff,
    actor_fingerprint: str,
    recipient: Recipient,
    nature: ActNature,
    reference: str,
    files: list[IncomingFile],
    signing_certificate: bytes,
    signing_token_label: str,
    signing_mode: str = Signification.SigningMode.REMOTE,
    source: str = Signification.Source.WEB,
    at: datetime | None = None,
    elements: Mapping[str, Any] | None = None,
) -> Signification:
    """``elements``: the act's essential elements (``datamessage.forms.ActElementsForm``
    field names), required when the nature needs a data message."""
    _check_parties(bailiff, recipient, nature, at)
    reference = _check_reference(bailiff, reference)
    checked_elements = _check_elements(nature, elements)
    batch = uuid.uuid4().hex
    folder = Path(settings.SECURACT_UPLOAD_DIR) / batch
    try:
        saved = _store_files(_save_files(files, folder), batch)
        with transaction.atomic():
            signification = Signification.objects.create(
                practice=bailiff.practice,
                bailiff=bailiff,
                recipient=recipient,
                nature=nature,
                reference=reference,
                source=source,
                actor_fingerprint=actor_fingerprint,
                signing_certificate=signing_certificate,
                signing_token_label=signing_token_label,
                signing_mode=signing_mode,
            )
            Act.objects.bulk_create(
                Act(
                    signification=signification,
                    position=index,
                    original_name=name,
                    kind=kind,
                    upload_path=key,
                    size=size,
                )
                for index, (key, name, kind, size) in enumerate(saved, start=1)
            )
            record_elements(signification, checked_elements)
            journal.append(
                "signification.submitted",
                actor=actor_fingerprint,
                signification_id=signification.pk,
                data={
                    "reference": reference,
                    "recipient": recipient.name,
                    "siret": recipient.siret,
                    "nature": nature.code,
                    "source": source,
                    "signing_mode": signing_mode,
                    "data_message": checked_elements is not None,
                    "files": [{"name": name, "size": size} for _key, name, _kind, size in saved],
                },
            )
            process.start(signification)
    except UploadRefused as refused:
        _discard(folder, batch)
        raise ServiceRefused(refused.message, "files") from refused
    except BaseException:
        _discard(folder, batch)
        raise
    shutil.rmtree(folder, ignore_errors=True)
    return signification


def _discard(folder: Path, batch: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    work_store.delete_prefix(f"{UPLOADS}{batch}/")
