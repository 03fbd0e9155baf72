"""The recipient's side of a deposit (F8.1, F9.2): its list, its detail, the download of its
acts and its events. The portal's pages and the API (``api.recipient``) both call these —
they are siblings in the pages' layer, so the rules sit here, below both; nothing else
decides what a recipient sees.

Who sees what
    A recipient sees the deposited significations served on it (``recipient = its own``,
    sent), and downloads acts only from **its own vault** (the act's stored file must be in
    the vault bound to the signed-in certificate). Anything else — another recipient's
    deposit, a signification not yet deposited, an act id put under another deposit — is
    :class:`DepositNotFound`, found by the same single query filtered by owner as a missing
    id: the page, the status and the work are the same whether the id exists or not.

Downloads and delivery
    The act's bytes are fixity-checked first (``significations.downloads.open_verified``, the
    bailiff's downloads' check); only then is the download recorded by the delivery
    service's one entry point, ``delivery.services.record_opening`` (opening time once, CPC
    663; ETSI ContentHandover / ContentAccessTracking; *remise à personne* before the
    deadline), in its own transaction, which commits before the first byte leaves. A
    damaged file is never served and records nothing.

Order and cost
    Unopened deposits first, then the newest (``sent_at`` descending, ``id`` as tie-break).
    A page costs a fixed number of queries whatever its size: the rows with their nature,
    practice and bailiff (one JOINed query), their acts (one more), a count bounded like the
    search's (``COUNT_LIMIT``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files import File
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from securact.datamessage.models import ActElements, DebtorKind
from securact.delivery.services import Delivery, NotDeposited, record_opening
from securact.directory.models import Recipient
from securact.directory.validators import normalize_name
from securact.evidence.journal import Action
from securact.evidence.models import JournalEntry, JournalLeaf
from securact.significations import downloads, queries
from securact.significations.models import Act, DeliveryState, Signification
from securact.significations.visibility import (
    recipient_history_q,
)
from securact.ui.detail import history_message
from securact.vault.models import Vault

logger = logging.getLogger(__name__)

PARIS = queries.PARIS
FILTER_MAX_LENGTH = queries.FILTER_MAX_LENGTH

# The journal events a recipient sees in a deposit's history: ``significations.visibility``.


class DepositState:
    """The list's *État* filter (URL values, French)."""

    UNOPENED = "non-ouvert"
    IN_PERSON = DeliveryState.IN_PERSON.value
    AT_HOME = DeliveryState.AT_HOME.value
    CHOICES = (
        (UNOPENED, gettext_lazy("Non ouvert")),
        (IN_PERSON, gettext_lazy("Remis à personne")),
        (AT_HOME, gettext_lazy("Remis à domicile")),
    )


class DepositNotFound(Exception):
    """Not one of the signed-in recipient's deposits (or not an act of it)."""


# --- the list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepositCriteria:
    """The list's filters; empty values mean "all"."""

    nature_id: int | None = None
    sent_from: date | None = None
    sent_to: date | None = None
    practice: str = ""
    state: str = ""
    reference: str = ""  # a part of the deposit's reference
    debtor: str = ""  # words of the debtor's name (the act's essential elements)


def _acts() -> QuerySet[Act]:
    return Act.objects.exclude(deposited_name="").only(
        "id", "signification_id", "position", "deposited_name", "stored_file_id"
    )


def recipient_deposits(recipient: Recipient) -> QuerySet[Signification]:
    """The deposits served on ``recipient``, unopened first then the newest, with what a row
    shows (nature, practice, bailiff; the acts in one more query)."""
    unopened_first = IsNull(F("opened_at"), True).desc()
    return (
        Signification.objects.filter(recipient=recipient, sent_at__isnull=False)
        .exclude(delivery_state="")
        # The debtor (F8.3's essential elements, when the nature has a data message) in the
        # same JOINed query: a LEFT JOIN, None where there is none.
        .select_related("nature", "practice", "bailiff", "elements")
        .defer("signing_certificate")
        .prefetch_related(Prefetch("acts", queryset=_acts()))
        .order_by(unopened_first, F("sent_at").desc(), F("pk").desc())
    )


def filter_deposits(
    queryset: QuerySet[Signification], criteria: DepositCriteria
) -> QuerySet[Signification]:
    if criteria.nature_id is not None:
        queryset = queryset.filter(nature_id=criteria.nature_id)
    if criteria.sent_from is not None:
        queryset = queryset.filter(sent_at__gte=queries.paris_day_start(criteria.sent_from))
    if criteria.sent_to is not None and criteria.sent_to < queries.LAST_SEARCH_DAY:
        after = queries.paris_day_start(criteria.sent_to + timedelta(days=1))
        queryset = queryset.filter(sent_at__lt=after)
    if practice := criteria.practice.strip():
        # The practice's code exactly, or a part of its name.
        queryset = queryset.filter(
            Q(practice__code=practice) | Q(practice__name__icontains=practice)
        )
    if criteria.state == DepositState.UNOPENED:
        queryset = queryset.filter(opened_at__isnull=True)
    elif criteria.state in (DepositState.IN_PERSON, DepositState.AT_HOME):
        queryset = queryset.filter(delivery_state=criteria.state)
    if reference := criteria.reference.strip():
        queryset = queryset.filter(reference__icontains=reference)
    for word in criteria.debtor.split():
        # Each word in the surname, the given names or the company's name: « dupont jean »
        # finds Jean DUPONT. A deposit without elements has no debtor and is not found.
        queryset = queryset.filter(
            Q(elements__debtor_surname__icontains=word)
            | Q(elements__debtor_given_names__icontains=word)
            | Q(elements__debtor_company_name__icontains=word)
        )
    return queryset


def debtor_name(signification: Signification) -> str:
    """The debtor as the list shows it (« DUPONT Jean Pierre », a company's name), from the
    act's essential elements (the data message's content); "" for a nature without them.
    No query: ``recipient_deposits`` JOINs them."""
    try:
        elements = signification.elements
    except ActElements.DoesNotExist:
        return ""
    if elements.debtor_kind == DebtorKind.COMPANY:
        return elements.debtor_company_name
    return f"{elements.debtor_surname} {elements.debtor_given_names}".strip()


def state_label(signification: Signification) -> str:
    """The list's *État* column, from the recipient's point of view."""
    if signification.delivery_state == DeliveryState.IN_PERSON:
        return gettext("Remis à personne")
    if signification.delivery_state == DeliveryState.AT_HOME:
        if signification.opened_at is None:
            return gettext("Remis à domicile — non ouvert")
        return gettext("Remis à domicile")
    return gettext("Non ouvert")


# --- the detail ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    sequence: int
    at: datetime  # Europe/Paris
    message: str


@dataclass(frozen=True)
class DepositDetail:
    signification: Signification
    acts: list[Act]
    state: str
    history: list[HistoryRow]

    @property
    def opened(self) -> bool:
        return self.signification.opened_at is not None


def recipient_deposit(recipient: Recipient, pk: int) -> Signification:
    """Deposit ``pk`` if it was served on ``recipient``: one query, filtered by owner."""
    signification = (
        Signification.objects.filter(pk=pk, recipient=recipient, sent_at__isnull=False)
        .exclude(delivery_state="")
        .select_related("nature", "practice", "bailiff", "recipient")
        .defer("signing_certificate")
        .first()
    )
    if signification is None:
        raise DepositNotFound(pk)
    return signification


def deposit_history(signification: Signification) -> list[HistoryRow]:
    """The recipient-visible journal entries of a deposit, oldest first, in Paris time."""
    entries = JournalEntry.objects.filter(
        recipient_history_q(), signification_id=signification.pk
    ).order_by("sequence")
    return [
        HistoryRow(
            sequence=entry.sequence,
            at=timezone.localtime(entry.recorded_at, PARIS),
            message=_recipient_message(entry, signification.recipient.name),
        )
        for entry in entries
    ]


def _recipient_message(entry: JournalEntry, recipient: str) -> str:
    if entry.action == Action.DEPOSIT_CERTIFICATE_CREATED:
        # The bailiff's wording says "your vault"; the recipient reads what it proves.
        return gettext("Création de l'attestation de dépôt (preuve de la date du dépôt)")
    return history_message(entry, recipient)


def deposit_detail(recipient: Recipient, pk: int) -> DepositDetail:
    """Everything the deposit's page shows, in three queries."""
    signification = recipient_deposit(recipient, pk)
    return DepositDetail(
        signification=signification,
        acts=list(_acts().filter(signification=signification).order_by("position")),
        state=state_label(signification),
        history=deposit_history(signification),
    )


def filter_history(rows: list[HistoryRow], text: str) -> list[HistoryRow]:
    wanted = normalize_name(text[:FILTER_MAX_LENGTH])
    if not wanted:
        return rows
    return [
        row for row in rows if wanted in normalize_name(f"{row.at:%d/%m/%Y %H:%M:%S} {row.message}")
    ]


# --- downloads -------------------------------------------------------------------------------


def recipient_act(vault: Vault, pk: int, act_id: int) -> Act:
    """Act ``act_id`` of deposit ``pk`` whose stored file is in ``vault`` (the signed-in
    recipient's own, bound to its certificate): one query, filtered by owner."""
    if vault.recipient_id is None:  # pragma: no cover - a recipient's vault has one
        raise DepositNotFound(pk)
    act = (
        Act.objects.filter(
            pk=act_id,
            signification_id=pk,
            signification__recipient_id=vault.recipient_id,
            signification__sent_at__isnull=False,
            stored_file__vault=vault,
        )
        .exclude(signification__delivery_state="")
        .select_related("stored_file")
        .only("id", "signification_id", "deposited_name", "stored_file")
        .first()
    )
    if act is None or act.stored_file is None:
        raise DepositNotFound(pk)
    return act


@dataclass(frozen=True)
class Download:
    act: Act
    handle: File[bytes]
    delivery: Delivery


def download_act(vault: Vault, pk: int, act_id: int, *, actor: str, at: datetime) -> Download:
    """The act's bytes for its recipient, fixity-checked, the download recorded.

    Raises :class:`DepositNotFound` for anything not the recipient's, and
    ``downloads.FileDamaged`` (nothing recorded) when the bytes no longer match the record.
    The caller serves ``handle`` and closes it."""
    act = recipient_act(vault, pk, act_id)
    stored = act.stored_file
    if stored is None:  # pragma: no cover - recipient_act checks it
        raise DepositNotFound(pk)
    handle = downloads.open_verified(stored)  # FileDamaged before anything is recorded
    try:
        delivery = record_opening(pk, actor=actor, at=at, act_id=act.pk)
    except (Signification.DoesNotExist, NotDeposited) as missing:  # pragma: no cover - race
        handle.close()
        raise DepositNotFound(pk) from missing
    except BaseException:
        handle.close()
        raise
    logger.info(
        "signification %s: act %s downloaded by its recipient (%s)", pk, act.pk, delivery.state
    )
    return Download(act=act, handle=handle, delivery=delivery)


def content_type(name: str) -> str:
    return downloads.content_type(name)


# --- the banks' pull API (F9.2, ``api.recipient``) -------------------------------------------


@dataclass(frozen=True)
class PullCriteria:
    """The API list's filters; empty values mean "all"."""

    since: datetime | None = None  # sent at or after
    state: str = ""  # DepositState's values
    nature: str = ""  # the nature's code
    reference: str = ""  # a part of the deposit's reference
    acknowledged: bool | None = None


# The order of the API's list, and its cursor's key (index signification_recipient_sent).
PULL_ORDER = ("sent_at", "pk")


def deposits_in_order(recipient: Recipient, criteria: PullCriteria) -> QuerySet[Signification]:
    """The deposits served on ``recipient`` in the order they were sent (then id), filtered;
    a row's nature, practice, bailiff, elements, acknowledgment and acts come with it."""
    queryset = filter_deposits(
        recipient_deposits(recipient).select_related("acknowledgment"),
        DepositCriteria(state=criteria.state, reference=criteria.reference),
    )
    if criteria.since is not None:
        queryset = queryset.filter(sent_at__gte=criteria.since)
    if criteria.nature:
        queryset = queryset.filter(nature__code=criteria.nature)
    if criteria.acknowledged is not None:
        queryset = queryset.filter(acknowledgment__isnull=not criteria.acknowledged)
    return queryset.order_by(*PULL_ORDER)


def deposit_acts(signification: Signification) -> list[Act]:
    """The deposit's acts in order, with their vault entries (name, size, SHA-256)."""
    return list(
        Act.objects.filter(signification=signification, stored_file__isnull=False)
        .exclude(deposited_name="")
        .select_related("stored_file")
        .only("id", "signification_id", "position", "deposited_name", "stored_file")
        .order_by("position")
    )


@dataclass(frozen=True)
class Event:
    """One event of a recipient's feed: a journal entry it sees, at ``position`` in the
    journal's tree (the feed's order)."""

    position: int
    entry: JournalEntry
    reference: str
    message: str


def recipient_events(recipient: Recipient, *, after: int | None, limit: int) -> list[Event]:
    """The journal entries of the deposits served on ``recipient`` that it sees
    (``significations.visibility``), in the order of the journal's tree, after the leaf
    ``after``; at most ``limit``.

    The tree's order, not the entries' numbers: a number is taken before its transaction
    commits, so an entry may become visible after a higher one; a leaf is given once the
    entry is committed, one integration at a time, so no entry ever appears before a leaf
    already read. An entry shows once it is in the tree (normally within a second)."""
    deposits = Signification.objects.filter(recipient=recipient, sent_at__isnull=False)
    leaf = JournalLeaf.objects.filter(sequence=OuterRef("sequence")).values("index")[:1]
    entries = (
        JournalEntry.objects.filter(
            recipient_history_q(), signification_id__in=deposits.values("pk")
        )
        .annotate(position=Subquery(leaf))
        .filter(position__isnull=False)
    )
    if after is not None:
        entries = entries.filter(position__gt=after)
    rows = list(entries.order_by("position")[:limit])
    references = dict(
        Signification.objects.filter(pk__in={row.signification_id for row in rows}).values_list(
            "pk", "reference"
        )
    )
    return [
        Event(
            position=row.position,  # type: ignore[attr-defined]
            entry=row,
            reference=references.get(row.signification_id or 0, ""),
            message=_recipient_message(row, recipient.name),
        )
        for row in rows
    ]
