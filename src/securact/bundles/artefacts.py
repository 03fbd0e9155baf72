"""Where each document of a signification is kept, and how a bundle reads it: always
through the vault's storage API (``vault.storage.open_blob``) or the shared work store,
never a local path, and each checked against the SHA-256 recorded for it.

=============================  ==========================================================
member of the bundle           source
=============================  ==========================================================
``actes/<name>.pdf``           ``Act.stored_file`` (the recipient's vault)
``actes/<name>.pdf.p7s``       the archive ZIP in the bailiff's vault (its
                               ``manifest.sha256`` gives the expected SHA-256); before the
                               archive exists, the work store (``Act.p7s_path``)
``certificats/depot.xml``      the ``deposit_certificate`` file of the bailiff's vault
``message-de-donnees.xml``     ``DataMessage.stored_file`` (the recipient's vault)
``certificats/remise.pdf``     ``DeliveryCertificate.stored_file`` (the bailiff's vault)
``retours/<name>``             ``ActReturn.stored_file`` (the bailiff's vault)
=============================  ==========================================================
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from django.core.exceptions import ObjectDoesNotExist

from securact.datamessage.models import DataMessage
from securact.delivery.models import DeliveryCertificate
from securact.returns.models import ActReturn
from securact.significations import work_store
from securact.significations.archive import MANIFEST
from securact.significations.models import Signification
from securact.vault.models import StoredFile
from securact.vault.storage import open_blob

Opener = Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True)
class Artefact:
    """One document to copy into the bundle: its member name, how to open it, the SHA-256
    it must have (empty: none was recorded), its size when known."""

    name: str
    open: Opener
    sha256: str
    size: int = 0
    stored_file_id: int | None = None


def _blob(sha256: str) -> Opener:
    def opener() -> AbstractContextManager[BinaryIO]:
        return open_blob(sha256)  # type: ignore[return-value]

    return opener


def _stored(name: str, stored: StoredFile) -> Artefact:
    return Artefact(name, _blob(stored.sha256), stored.sha256, stored.size, stored.pk)


@contextlib.contextmanager
def _archive_member(archive_sha256: str, member: str) -> Iterator[BinaryIO]:
    with (
        open_blob(archive_sha256) as blob,
        zipfile.ZipFile(blob) as archive,
        archive.open(member) as handle,
    ):
        yield handle  # type: ignore[misc]


def _archive_signatures(archive: StoredFile | None) -> dict[str, str]:
    """``{name: sha256}`` of the ``.p7s`` the archive's manifest lists; empty without an
    archive or when it cannot be read (the bundle then says which member is missing)."""
    if archive is None:
        return {}
    try:
        with open_blob(archive.sha256) as blob, zipfile.ZipFile(blob) as opened:
            listed = opened.read(MANIFEST).decode()
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    signatures = {}
    for line in listed.splitlines():
        digest, _sep, name = line.partition("  ")
        if name.endswith(".p7s"):
            signatures[name] = digest
    return signatures


def _work_file(key: str) -> Opener:
    def opener() -> AbstractContextManager[BinaryIO]:
        return work_store.local_copy(key).open("rb")

    return opener


def _bailiff_file(signification: Signification, kind: str) -> StoredFile | None:
    return (
        StoredFile.objects.filter(
            signification_id=signification.pk,
            kind=kind,
            vault__bailiff_id=signification.bailiff_id,
        )
        .order_by("pk")
        .first()
    )


def _acts(signification: Signification) -> list[Artefact]:
    archive = _bailiff_file(signification, StoredFile.Kind.ARCHIVE)
    signatures = _archive_signatures(archive)
    found = []
    for act in signification.acts.select_related("stored_file").order_by("position"):
        if act.stored_file is None or not act.deposited_name:
            continue  # not deposited: nothing was served
        found.append(_stored(f"actes/{act.deposited_name}", act.stored_file))
        p7s = f"{act.deposited_name}.p7s"
        if archive is not None and p7s in signatures:
            found.append(
                Artefact(
                    f"actes/{p7s}",
                    lambda a=archive.sha256, m=p7s: _archive_member(a, m),  # type: ignore[misc]
                    signatures[p7s],
                )
            )
        elif act.p7s_path and work_store.exists(act.p7s_path):
            found.append(Artefact(f"actes/{p7s}", _work_file(act.p7s_path), ""))
    return found


def _one(getter: Callable[[], StoredFile | None]) -> StoredFile | None:
    try:
        return getter()
    except ObjectDoesNotExist:
        return None


def artefacts_of(signification: Signification) -> list[Artefact]:
    """The documents of ``signification``, in the bundle's order (contract §4)."""
    found = _acts(signification)
    deposit = _bailiff_file(signification, StoredFile.Kind.DEPOSIT_CERTIFICATE)
    if deposit is not None:
        found.append(_stored("certificats/depot.xml", deposit))
    delivery = _one(
        lambda: (
            DeliveryCertificate.objects.select_related("stored_file")
            .get(pk=signification.pk)
            .stored_file
        )
    )
    if delivery is not None:
        suffix = PurePosixPath(delivery.name).suffix.lower() or ".pdf"
        found.append(_stored(f"certificats/remise{suffix}", delivery))
    message = _one(
        lambda: (
            DataMessage.objects.select_related("stored_file")
            .get(signification_id=signification.pk)
            .stored_file
        )
    )
    if message is not None:
        found.append(_stored("message-de-donnees.xml", message))
    answer = (
        ActReturn.objects.select_related("stored_file")
        .defer("pending_pdf")
        .filter(signification_id=signification.pk, stored_file__isnull=False)
        .first()
    )
    if answer is not None and answer.stored_file is not None:
        found.append(_stored(f"retours/{answer.name}", answer.stored_file))
    return found
