"""Vaults with real files in the real storage, for the fixity audit's tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from securact.directory.models import Bailiff
from securact.evidence.models import JournalEntry
from securact.vault.models import StoredFile, Vault
from securact.vault.services import deposit_file
from tests.factories import BailiffFactory

_fingerprints = itertools.count(1)


def make_vault() -> Vault:
    bailiff: Bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF,
        bailiff=bailiff,
        certificate_fingerprint=f"{next(_fingerprints):064x}",
        certificate_serial="1",
        certificate_holder=bailiff.full_name,
        certificate_issuer="AC",
        certificate_not_after=timezone.now(),
        certificate_der=b"x",
    )


def put(vault: Vault, name: str, content: bytes, work: Path, folder: str = "/") -> StoredFile:
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{vault.pk}-{folder.strip('/').replace('/', '-')}-{name}"
    source.write_bytes(content)
    return deposit_file(
        vault,
        name,
        source,
        depositor="f" * 64,
        deposited_at=timezone.now(),
        kind=StoredFile.Kind.ACT,
        folder=folder,
    )


@dataclass
class TwoVaults:
    """Durand's vault holds an act, a certificate and a copy of the act Martin also holds
    (one content, two files); Martin's holds that copy and a note."""

    durand: Vault
    martin: Vault
    act: StoredFile
    certificate: StoredFile
    durand_copy: StoredFile
    martin_copy: StoredFile
    note: StoredFile


def two_vaults(work: Path) -> TwoVaults:
    durand, martin = make_vault(), make_vault()
    shared = b"%PDF-1.7 acte partage " * 50
    return TwoVaults(
        durand=durand,
        martin=martin,
        act=put(durand, "acte.pdf", b"%PDF-1.7 acte signifie " * 100, work, "/REF-1/"),
        certificate=put(durand, "attestation.xml", b"<AttestationDepot/>" * 10, work, "/REF-1/"),
        durand_copy=put(durand, "copie.pdf", shared, work, "/REF-2/"),
        martin_copy=put(martin, "copie.pdf", shared, work),
        note=put(martin, "note.txt", b"note personnelle", work),
    )


def entries(action: str) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(action=action).order_by("sequence"))
