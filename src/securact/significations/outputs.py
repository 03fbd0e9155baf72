"""What ``securact serve`` hands back: the signification's files, exported from the vaults.

The work folder is removed once the archive is deposited (``work_folders``), so the
command's outputs are copies of the vault's files (checked by their SHA-256 on the way),
under the names they have there (the ``.p7s`` taken out of the ZIP), into the folder the
command was given (by default ``DATA_DIR/sorties/<id>/``, private like every file of the data
directory).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from django.conf import settings

from securact.vault.models import StoredFile
from securact.vault.storage import open_blob

KINDS = (
    StoredFile.Kind.ACT,
    StoredFile.Kind.SIGNATURE,
    StoredFile.Kind.DEPOSIT_CERTIFICATE,
    StoredFile.Kind.DATA_MESSAGE,
    StoredFile.Kind.ARCHIVE,
)


def output_folder(signification_id: int) -> Path:
    return Path(settings.DATA_DIR) / "sorties" / str(signification_id)


def export_outputs(signification_id: int, folder: Path | None = None) -> dict[str, str]:
    """Each file of the signification, by its name in the vaults, with where it was copied."""
    folder = folder or output_folder(signification_id)
    folder.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, str] = {}
    stored_files = StoredFile.objects.filter(signification_id=signification_id, kind__in=KINDS)
    for stored in stored_files.order_by("pk"):
        if stored.name in outputs:
            continue  # the same act in the bailiff's and the recipient's vault
        target = folder / Path(stored.name).name
        _copy_checked(stored, target)
        outputs[stored.name] = str(target)
        if stored.kind == StoredFile.Kind.ARCHIVE:
            outputs.update(_signatures_from(target, folder))
    return outputs


def _signatures_from(archive: Path, folder: Path) -> dict[str, str]:
    """The detached signatures (``.p7s``), kept in the vault only inside the ZIP."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(archive) as opened:
        for name in opened.namelist():
            if name.endswith(".p7s") and "/" not in name:
                target = folder / name
                target.write_bytes(opened.read(name))
                found[name] = str(target)
    return found


def _copy_checked(stored: StoredFile, target: Path) -> None:
    digest = hashlib.sha256()
    with open_blob(stored.sha256) as source, target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != stored.sha256:
        target.unlink(missing_ok=True)
        raise OSError(f"vault file {stored.pk} does not match its SHA-256")
