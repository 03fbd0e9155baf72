"""Read side of significations: the search (F5) and the delivery state it shows; the detail
(F6) is ``ui.detail`` and the files a bailiff downloads ``significations.downloads``.
Nothing here writes.

Who sees what:

* search and detail show the significations of the signed-in bailiff's **practice** (the
  manual's search lists the étude's deposits, whoever of its bailiffs served them);
* files are served only from the signed-in bailiff's **own vault**: a vault is locked to its
  owner's certificate, so a colleague of the same practice sees the names, not the bytes.

Query shapes (see the index notes in the report of the web-interface issue): every search is
``practice_id = ?`` plus optional criteria, ordered by a sort key with ``id`` as the tie-break,
``LIMIT 10``; the count is bounded (``COUNT_LIMIT``) so that it stays fast on a large étude.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from securact.directory.models import Practice
from securact.directory.services import search_recipients
from securact.directory.validators import normalize_name
from securact.significations.models import Act, DeliveryState, Signification

PARIS = ZoneInfo("Europe/Paris")
PAGE_SIZE = 10
# A count reads at most this many rows (+1 to know there are more): "1-10 sur plus de 10 000".
COUNT_LIMIT = 10_000
# A document-name search counts less far: a common word ("décompte", "bordereau") is in a
# few percent of an étude's acts, and the count tests act names until it has enough matches
# (at a million significations: 185 ms with 10 001, 104 ms with 1 001; README,
# "Performance"). Past 500 matches the bailiff narrows the search anyway.
DOCUMENT_COUNT_LIMIT = 500
# Dates a search accepts: wide enough for any real service, narrow enough that a day's
# bounds never overflow (date.max + 1 day would).
FIRST_SEARCH_DAY = date(2000, 1, 1)
LAST_SEARCH_DAY = date(2099, 12, 31)
FILTER_MAX_LENGTH = 200
# Acts a document search reads before falling back to a semi-join (see _document_q).
DOCUMENT_IDS_LIMIT = 1000


# --- delivery state ------------------------------------------------------------------------


_DELIVERY_DETAIL = {
    DeliveryState.AWAITING: gettext_lazy("Acte(s) en attente de consultation par le destinataire"),
    DeliveryState.IN_PERSON: gettext_lazy("Acte(s) remis à personne au destinataire"),
    DeliveryState.AT_HOME: gettext_lazy("Acte(s) remis à domicile au destinataire"),
}


def delivery_state_q(state: str) -> Q:
    """The significations in delivery ``state`` (a column set by the deposit step and the
    delivery decision, indexed with the practice)."""
    return Q(delivery_state=state) if state in DeliveryState.values else Q(pk__in=[])


def delivery_state_of(signification: Signification) -> DeliveryState | None:
    """The delivery state of a deposited signification; ``None`` before the deposit."""
    if not signification.delivery_state:
        return None
    return DeliveryState(signification.delivery_state)


def state_label(signification: Signification) -> str:
    """The results' *État dépôt* column."""
    delivery = delivery_state_of(signification)
    if delivery is not None:
        return str(delivery.label)
    if signification.state == Signification.State.FAILED:
        return gettext("Signification en échec")
    return gettext("Signification en cours")


def state_detail(signification: Signification) -> str:
    """The detail's *État de la remise*."""
    delivery = delivery_state_of(signification)
    if delivery is not None:
        return str(_DELIVERY_DETAIL[delivery])
    if signification.state == Signification.State.FAILED:
        return gettext("Non déposé : la signification a échoué avant le dépôt")
    return gettext("Pas encore déposé : la signification est en cours")


# --- search (F5) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    """The manual's criteria; empty values mean "all"."""

    served_from: date | None = None
    served_to: date | None = None
    delivery_state: str = ""
    reference: str = ""
    document: str = ""
    recipient: str = ""
    nature_id: int | None = None
    source: str = ""


def practice_significations(practice: Practice) -> QuerySet[Signification]:
    """The practice's significations with what a result row shows, in a fixed number of
    queries whatever the page size (the acts of a page come in one more query)."""
    acts = Act.objects.only("id", "signification_id", "position", "original_name", "deposited_name")
    return (
        Signification.objects.filter(practice=practice)
        .select_related("recipient", "nature")
        .defer("signing_certificate")
        .prefetch_related(Prefetch("acts", queryset=acts))
    )


def paris_day_start(day: date) -> datetime:
    """Midnight in Paris on ``day`` (never ambiguous: French clocks change at 2 or 3 am)."""
    return datetime(day.year, day.month, day.day, tzinfo=PARIS)


def search(queryset: QuerySet[Signification], criteria: SearchCriteria) -> QuerySet[Signification]:
    """``queryset`` (from :func:`practice_significations`) narrowed by ``criteria``."""
    if criteria.served_from is not None:
        queryset = queryset.filter(sent_at__gte=paris_day_start(criteria.served_from))
    if criteria.served_to is not None:
        if criteria.served_to < date.max:
            after = paris_day_start(criteria.served_to + timedelta(days=1))
            queryset = queryset.filter(sent_at__lt=after)
        else:
            queryset = queryset.filter(sent_at__isnull=False)
    if criteria.delivery_state:
        queryset = queryset.filter(delivery_state_q(criteria.delivery_state))
    if reference := criteria.reference.strip():
        queryset = queryset.filter(reference__icontains=reference)
    if document := criteria.document.strip():
        queryset = queryset.filter(_document_q(document))
    if recipient := criteria.recipient.strip():
        # Name (a word's prefix, accents and case ignored) or SIRET prefix, as the
        # service form's recipient search (directory.services) finds them. Their ids are
        # read first (one small query): with the values in the SQL, PostgreSQL knows from its
        # statistics whether they are a big bank (walk the newest-first index) or a rare
        # recipient (read its rows by the recipient index); behind a subquery it guessed a
        # handful of rows and sorted a bank's 200 000 for ten.
        found = search_recipients(recipient).order_by().values_list("pk", flat=True)
        queryset = queryset.filter(recipient_id__in=list(found))
    if criteria.nature_id is not None:
        queryset = queryset.filter(nature_id=criteria.nature_id)
    if criteria.source:
        queryset = queryset.filter(source=criteria.source)
    return queryset


def _document_q(document: str) -> Q:
    """Significations with an act whose name (as uploaded or as deposited) contains
    ``document``.

    The matching acts are read once, up to ``DOCUMENT_IDS_LIMIT``: a name is usually
    specific (a deposited name, a reference), so the count and the page then read their few
    significations by id, instead of each searching the names again — on PostgreSQL a long
    name costs its trigram indexes some 50 ms a time at a million acts. A common word
    matches more: then a semi-join, which the newest-first index answers quickly because
    most rows match."""
    named = Q(original_name__icontains=document) | Q(deposited_name__icontains=document)
    found = list(
        Act.objects.filter(named)
        .order_by()
        .values_list("signification_id", flat=True)[: DOCUMENT_IDS_LIMIT + 1]
    )
    if len(found) <= DOCUMENT_IDS_LIMIT:  # every matching act was read
        return Q(pk__in=set(found))
    return Q(Exists(Act.objects.filter(named, signification_id=OuterRef("pk"))))


# Sort keys of the result columns (the search URL's ``tri``). Each ends with the primary
# key so that paging is stable. Rows not yet deposited have no date: they come last when the
# newest come first, and first in the reverse order; each order being the exact reverse of
# the other, one index on (practice, sent_at, id) serves both, read forwards or backwards.
def _by_date(descending: bool) -> list[Any]:
    if descending:
        return [F("sent_at").desc(nulls_last=True), F("pk").desc()]
    return [F("sent_at").asc(nulls_first=True), F("pk").asc()]


def _by_state(descending: bool) -> list[Any]:
    """Deposited first (newest first), then in progress, then failed; descending, failed,
    in progress, then deposited (newest first still).

    That is ``rank, sent_at DESC NULLS LAST, id DESC`` with rank 0 exactly when deposited
    (``sent_at`` set), written with the date first — the same order, since undeposited rows
    have no date and deposited ones the same rank — so that an index on (practice, sent_at,
    id) serves it and only ties of dates (the undeposited rows) are ranked: the date's NULLS
    LAST ascending (``signification_newest``), NULLS FIRST descending (PostgreSQL's
    ``signification_undeposited_first``, migration 0003)."""
    rank = Case(
        When(sent_at__isnull=False, then=Value(0)),
        When(state=Signification.State.FAILED, then=Value(2)),
        default=Value(1),
    )
    if descending:
        return [F("sent_at").desc(nulls_first=True), rank.desc(), F("pk").desc()]
    return [F("sent_at").desc(nulls_last=True), rank.asc(), F("pk").desc()]


def _by_reference(descending: bool) -> list[Any]:
    sign = "-" if descending else ""
    return [f"{sign}reference", f"{sign}pk"]


def _by_file(descending: bool) -> list[Any]:
    # A deposited name is {practice}_{reference}_{date}_{time}.pdf and a reference is unique
    # in its practice: the names sort as the references do.
    return _by_reference(descending)


def _by_recipient(descending: bool) -> list[Any]:
    sign = "-" if descending else ""
    return [f"{sign}recipient__name_search", *_by_date(True)]


SORT_KEYS = {
    "date": _by_date,
    "etat": _by_state,
    "reference": _by_reference,
    "fichier": _by_file,
    "destinataire": _by_recipient,
}
DEFAULT_SORT = "-date"


def ordered(
    queryset: QuerySet[Signification], key: str, descending: bool
) -> QuerySet[Signification]:
    return queryset.order_by(*SORT_KEYS[key](descending))


def bounded_count(queryset: QuerySet[Any], limit: int = COUNT_LIMIT) -> int:
    """The number of rows, read up to ``limit + 1``: more means "more than the limit"."""
    return queryset.order_by()[: limit + 1].count()


def row_matches(signification: Signification, text: str) -> bool:
    """*Filtrer dans les résultats*: does the row, as displayed, contain ``text``?"""
    wanted = normalize_name(text)
    if not wanted:
        return True
    shown = [signification.reference, state_label(signification), signification.recipient.name]
    if signification.sent_at is not None:
        shown.append(timezone.localtime(signification.sent_at, PARIS).strftime("%d/%m/%Y"))
    shown += [act.deposited_name or act.original_name for act in signification.acts.all()]
    return wanted in normalize_name(" ".join(shown))
