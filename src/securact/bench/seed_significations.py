"""The page benchmark's significations, drawn at random but shaped like a real service:
created over about three years on working days and hours, ids in creation order, most
deposited and decided (*à personne* a little more often than *à domicile*), the last day's
deposits still awaiting consultation, a few failed or still in progress; 1 to 3 acts each.

``draw`` makes compact records (no ORM objects: a million of them must fit in memory);
the ``*_rows`` functions turn them into the rows the services would have written.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from securact.bench.seed_directory import (
    BailiffInfo,
    Directory,
    NatureInfo,
    PracticeInfo,
    RecipientInfo,
)
from securact.significations.models import DeliveryState, Signification
from securact.significations.naming import archive_name, deposited_name
from securact.vault.models import StoredFile

PARIS = ZoneInfo("Europe/Paris")
SPAN = timedelta(days=3 * 365)
DELIVERY_DELAY = timedelta(hours=24)  # the manual's default rule (SECURACT_DELIVERY_RULE)
IN_PERSON_SHARE = 0.55
# Of the served significations whose nature expects an answer (a bank's declaration).
ACT_RETURN_SHARE = 0.4
FAILED_SHARE = 0.003
IN_PROGRESS_SHARE = 0.0002
ACTS_PER_SIGNIFICATION = ((1, 0.6), (2, 0.3), (3, 0.1))
SOURCES = ((Signification.Source.WEB, 0.7), (Signification.Source.EDI, 0.3))
_SECOND_ACTS = ("decompte.pdf", "Décompte des sommes dues.pdf", "titre-executoire.pdf")
_THIRD_ACTS = ("Bordereau de pièces.docx", "annexe.pdf", "Jugement du tribunal.pdf")


@dataclass(slots=True)
class Drawn:
    """One signification as the service process would have left it."""

    id: int
    practice: PracticeInfo
    bailiff: BailiffInfo
    recipient: RecipientInfo
    nature: NatureInfo
    reference: str
    source: str
    created_at: datetime
    sent_at: datetime | None
    state: str
    delivery_state: str
    delivered_at: datetime | None
    returned_at: datetime | None  # the recipient's act return
    files: tuple[tuple[str, str, int], ...]  # original name, kind, size

    @property
    def deposited(self) -> bool:
        return self.sent_at is not None

    @property
    def archived_at(self) -> datetime | None:
        return self.sent_at + timedelta(seconds=5) if self.sent_at is not None else None

    def deposited_names(self) -> list[str]:
        if self.sent_at is None:
            return []
        return [
            deposited_name(self.practice.code, self.reference, self.sent_at, position)
            for position in range(1, len(self.files) + 1)
        ]

    def stem(self) -> str:
        """The first deposited name without ``.pdf``: the delivery certificate's and the
        act return's names start with it."""
        return self.deposited_names()[0].removesuffix(".pdf")

    def archive_name(self) -> str:
        assert self.archived_at is not None  # noqa: S101 - only deposited ones are archived
        return archive_name(self.recipient.name, self.reference, self.archived_at)


def _pick(rng: random.Random, cumulative: tuple[float, ...]) -> int:
    """Index drawn with the given cumulative weights (``random.choices`` without lists)."""
    return min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _weighted(rng: random.Random, choices: tuple[tuple[Any, float], ...]) -> Any:
    point, total = rng.random(), 0.0
    for value, share in choices:
        total += share
        if point < total:
            return value
    return choices[-1][0]


def creation_times(count: int, now: datetime, rng: random.Random) -> list[datetime]:
    """``count`` times over the last three years, Monday to Saturday, 8:00 to 19:00 in
    Paris (legal hours), in order."""
    start = now - SPAN
    times: list[datetime] = []
    while len(times) < count:
        moment = start + timedelta(seconds=rng.random() * SPAN.total_seconds())
        local = moment.astimezone(PARIS)
        if local.weekday() == 6 or not 8 <= local.hour < 19 or moment > now:
            continue
        times.append(moment)
    times.sort()
    return times


def draw(
    directory: Directory, count: int, first_id: int, now: datetime, rng: random.Random
) -> list[Drawn]:
    sequences = {p.id: 0 for p in directory.practices}
    in_progress_from = count - max(1, round(count * IN_PROGRESS_SHARE))
    drawn = []
    for index, created_at in enumerate(creation_times(count, now, rng)):
        practice = directory.practices[_pick(rng, directory.practice_weights)]
        sequences[practice.id] += 1
        reference = f"{created_at.year % 100:02d}-{sequences[practice.id]:06d}"
        item = Drawn(
            id=first_id + index,
            practice=practice,
            bailiff=practice.bailiffs[_pick(rng, practice.cumulative)],
            recipient=directory.recipients[_pick(rng, directory.recipient_weights)],
            nature=directory.natures[_pick(rng, directory.nature_weights)],
            reference=reference,
            source=_weighted(rng, SOURCES),
            created_at=created_at,
            sent_at=None,
            state=Signification.State.IN_PROGRESS,
            delivery_state="",
            delivered_at=None,
            returned_at=None,
            files=_files(rng, reference),
        )
        if index < in_progress_from and rng.random() >= FAILED_SHARE:
            _deposit(item, now, rng)
        elif index < in_progress_from:
            item.state = Signification.State.FAILED
        drawn.append(item)
    return drawn


def _files(rng: random.Random, reference: str) -> tuple[tuple[str, str, int], ...]:
    count = _weighted(rng, ACTS_PER_SIGNIFICATION)
    names = [f"Acte {reference}.pdf", rng.choice(_SECOND_ACTS), rng.choice(_THIRD_ACTS)][:count]
    return tuple(
        (name, "docx" if name.endswith(".docx") else "pdf", rng.randint(40_000, 3_000_000))
        for name in names
    )


def _deposit(item: Drawn, now: datetime, rng: random.Random) -> None:
    """Converted, signed and deposited some minutes after creation; decided once its
    deadline passed (the recipient opened it before: *à personne*)."""
    sent_at = item.created_at + timedelta(seconds=rng.randint(20, 900))
    item.sent_at = min(sent_at, now)
    item.state = Signification.State.DONE
    deadline = item.sent_at + DELIVERY_DELAY
    if deadline > now:
        item.delivery_state = DeliveryState.AWAITING
    elif rng.random() < IN_PERSON_SHARE:
        item.delivery_state = DeliveryState.IN_PERSON
        item.delivered_at = item.sent_at + timedelta(seconds=rng.randint(300, 86_000))
    else:
        item.delivery_state = DeliveryState.AT_HOME
        item.delivered_at = deadline
    if item.delivered_at is not None and item.nature.expects_return:
        returned = item.delivered_at + timedelta(days=rng.uniform(0.5, 10))
        if rng.random() < ACT_RETURN_SHARE and returned < now:
            item.returned_at = returned


# --- rows ----------------------------------------------------------------------------------

SIGNIFICATION_FIELDS = (
    "id",
    "practice",
    "bailiff",
    "recipient",
    "nature",
    "reference",
    "source",
    "pdfa_level",
    "actor_fingerprint",
    "signing_certificate",
    "signing_token_label",
    "signing_mode",
    "state",
    "created_at",
    "sent_at",
    "archived_at",
    "delivery_state",
    "delivery_deadline",
    "opened_at",
    "delivered_at",
)


def signification_rows(drawn: list[Drawn]) -> Iterator[tuple[Any, ...]]:
    for item in drawn:
        deadline = item.sent_at + DELIVERY_DELAY if item.sent_at is not None else None
        in_person = item.delivery_state == DeliveryState.IN_PERSON
        yield (
            item.id,
            item.practice.id,
            item.bailiff.id,
            item.recipient.id,
            item.nature.id,
            item.reference,
            item.source,
            "2b",
            item.bailiff.fingerprint,
            b"",
            item.bailiff.token_label,
            "remote",
            item.state,
            item.created_at,
            item.sent_at,
            item.archived_at,
            item.delivery_state,
            deadline,
            item.delivered_at if in_person else None,
            item.delivered_at,
        )


ACT_FIELDS = (
    "signification",
    "position",
    "original_name",
    "kind",
    "upload_path",
    "size",
    "pdfa_path",
    "pdfa_sha256",
    "signed_path",
    "signed_sha256",
    "p7s_path",
    "deposited_name",
)


def act_rows(drawn: list[Drawn]) -> Iterator[tuple[Any, ...]]:
    """The acts with their deposited names (the files themselves are not made: the pages
    never open them)."""
    for item in drawn:
        names = item.deposited_names()
        for position, (original, kind, size) in enumerate(item.files, start=1):
            yield (
                item.id,
                position,
                original,
                kind,
                f"/bench/uploads/{item.id}/{position}",
                size,
                "",
                "",
                "",
                "",
                "",
                names[position - 1] if names else "",
            )


STORED_FILE_FIELDS = (
    "vault",
    "folder",
    "name",
    "kind",
    "sha256",
    "size",
    "depositor",
    "deposited_at",
    "signification_id",
)


def stored_file_rows(drawn: list[Drawn], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """What the detail page offers from the author's vault: the deposit certificate, the
    ZIP archive, the delivery certificate once decided, the act return if any. The acts
    deposited in the recipients' vaults are not made (no page of the bailiff reads them)."""
    for item in drawn:
        if item.archived_at is None:
            continue
        archive = item.archive_name()
        folder = f"/{archive.removesuffix('.zip')}/"
        files = [
            (StoredFile.Kind.DEPOSIT_CERTIFICATE, "attestation_depot.xml", item.archived_at),
            (StoredFile.Kind.ARCHIVE, archive, item.archived_at),
        ]
        if item.delivered_at is not None:
            name = f"{item.stem()}_REMISE.pdf"
            files.append((StoredFile.Kind.DELIVERY_CERTIFICATE, name, item.delivered_at))
        if item.returned_at is not None:
            name = f"{item.stem()}_{item.nature.return_label}.pdf"
            files.append((StoredFile.Kind.ACT_RETURN, name, item.returned_at))
        for kind, name, at in files:
            yield (
                item.bailiff.vault_id,
                folder,
                name,
                kind.value,
                f"{rng.getrandbits(256):064x}",
                rng.randint(5_000, 9_000_000),
                "platform",
                at + timedelta(seconds=30),
                item.id,
            )
