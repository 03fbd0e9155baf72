"""The dashboard's rules (F2): which notices exist, the unviewed counts, one page of a
category's table (``listing.py``, re-exported here), and marking notices viewed.

Creating notices
    ``notify_awaiting`` is called by the deposit step, in the transaction that records the
    deposit; ``notify`` is the general entry for the later events (delivery *à personne* or
    *à domicile*, act return). Both are idempotent: one notice per (signification,
    category), whatever the number of calls.

The awaiting → delivered rule
    When a signification is served *à personne* or *à domicile*, it no longer awaits
    consultation: its awaiting notice is *resolved* — it leaves the list and the count
    (``viewed_at`` and ``resolved_at`` set to the time of the delivery notice) — whether or
    not the bailiff had viewed it. The row is kept, so a late or repeated
    ``notify_awaiting`` (a deposit step run again after a crash) finds it and creates
    nothing; an awaiting notice created after a delivery notice is born resolved. An act
    return resolves nothing: it is news of its own.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_noop

from securact.dashboard.listing import (
    PER_PAGE_CHOICES,
    CategoryPage,
    NoticeRow,
    UnknownCategory,
    category_page,
    parse_category,
)
from securact.dashboard.models import UNVIEWED, Category, DashboardNotice, UnviewedCount
from securact.directory.models import Bailiff
from securact.directory.validators import normalize_name
from securact.significations.models import Signification

__all__ = [  # the table's page (listing.py) is part of this API
    "DEFAULT_EVENTS",
    "PER_PAGE_CHOICES",
    "CategoryPage",
    "NoticeNotFound",
    "NoticeRow",
    "UnknownCategory",
    "category_page",
    "mark_signification_viewed",
    "mark_viewed",
    "notify",
    "notify_awaiting",
    "recount",
    "unviewed_counts",
]

# French labels, stored as gettext msgids and translated when shown.
EVENT_AWAITING = gettext_noop("Dépôt de l'acte dans le coffre-fort du destinataire")
EVENT_IN_PERSON = gettext_noop("Dépôt de l'attestation de remise à personne")
EVENT_AT_HOME = gettext_noop("Dépôt de l'attestation de remise à domicile")
EVENT_ACT_RETURN = gettext_noop("Dépôt du retour d'acte")
DEFAULT_EVENTS = {
    Category.AWAITING: EVENT_AWAITING,
    Category.IN_PERSON: EVENT_IN_PERSON,
    Category.AT_HOME: EVENT_AT_HOME,
    Category.ACT_RETURN: EVENT_ACT_RETURN,
}
DELIVERED = (Category.IN_PERSON, Category.AT_HOME)


class NoticeNotFound(Exception):
    """No such notice or signification for this bailiff (the page answers 404)."""


# --- creating notices ----------------------------------------------------------------------


def notify_awaiting(signification: Signification) -> DashboardNotice:
    """The signification was deposited: it awaits the recipient's consultation."""
    return notify(signification, Category.AWAITING)


def notify(
    signification: Signification,
    category: str,
    event: str | None = None,
    *,
    at: datetime | None = None,
) -> DashboardNotice:
    """The notice of ``category`` for this signification, created once (idempotent).

    ``event`` is the French label shown in the table (a gettext msgid; the category's default
    otherwise). A delivery notice resolves the awaiting one (see the module's docstring).
    Call it before ``journal.append`` in the same transaction: the journal's lock is taken
    last by every writer, so the counters' row locks never wait on it in the other order."""
    category = parse_category(category)
    moment = at or timezone.now()
    existing = DashboardNotice.objects.filter(signification=signification, category=category)
    notice = existing.first()
    if notice is not None:
        return notice
    notice = _new_notice(signification, category, event or DEFAULT_EVENTS[category], moment)
    if category is Category.AWAITING and _delivered(signification):
        notice.viewed_at = notice.resolved_at = moment  # born resolved
    try:
        with transaction.atomic():
            notice.save(force_insert=True)
            if notice.viewed_at is None:
                _add(notice.bailiff_id, category, 1)
            if category in DELIVERED:
                _resolve(signification, Category.AWAITING, moment)
    except IntegrityError:  # created meanwhile by a concurrent call
        return existing.get()
    return notice


def _new_notice(
    signification: Signification, category: Category, event: str, moment: datetime
) -> DashboardNotice:
    names = list(signification.acts.values_list("deposited_name", flat=True))
    deposited = [name for name in names if name]
    reference = signification.reference
    recipient = signification.recipient.name
    first_file = deposited[0] if deposited else ""
    return DashboardNotice(
        bailiff_id=signification.bailiff_id,
        signification=signification,
        category=category,
        event=event,
        created_at=moment,
        reference=reference,
        deposited_at=signification.sent_at or moment,
        deposited_file=first_file,
        file_count=max(len(names), 1),
        recipient_name=recipient,
        search_text=normalize_name(" ".join([reference, first_file, recipient, event]))[:800],
    )


def _resolve(signification: Signification, category: Category, moment: datetime) -> None:
    resolved = DashboardNotice.objects.filter(
        UNVIEWED, signification=signification, category=category
    ).update(viewed_at=moment, resolved_at=moment)
    _add(signification.bailiff_id, category, -resolved)


def _delivered(signification: Signification) -> bool:
    return DashboardNotice.objects.filter(
        signification=signification, category__in=DELIVERED
    ).exists()


# --- the counters ----------------------------------------------------------------------------


def _add(bailiff_id: int, category: str, delta: int) -> None:
    """Change one counter by ``delta``, in the caller's transaction (its row stays locked
    until then, so concurrent changes add up)."""
    if not delta:
        return
    counters = UnviewedCount.objects.filter(bailiff_id=bailiff_id, category=category)
    if counters.update(unviewed=F("unviewed") + delta):
        return
    try:
        with transaction.atomic():
            UnviewedCount.objects.create(bailiff_id=bailiff_id, category=category, unviewed=delta)
    except IntegrityError:  # a concurrent first change created it
        counters.update(unviewed=F("unviewed") + delta)


@transaction.atomic
def recount(bailiff: Bailiff | None = None) -> None:
    """Rebuild the counters from the notices (all bailiffs', or one's): after notices were
    loaded in bulk (``bulk_create`` bypasses the services), or to repair them."""
    notices = DashboardNotice.objects.filter(UNVIEWED)
    counters = UnviewedCount.objects.all()
    if bailiff is not None:
        notices, counters = notices.filter(bailiff=bailiff), counters.filter(bailiff=bailiff)
    counters.delete()
    truth = notices.values_list("bailiff_id", "category").annotate(count=Count("id")).order_by()
    UnviewedCount.objects.bulk_create(
        UnviewedCount(bailiff_id=bailiff_id, category=category, unviewed=count)
        for bailiff_id, category, count in truth
    )


# --- reading -------------------------------------------------------------------------------


def unviewed_counts(bailiff: Bailiff) -> dict[str, int]:
    """The number of unviewed notices of each category, in the manual's order: one query
    of at most four rows (the counters), whatever the number of notices."""
    counts = dict.fromkeys(Category.values, 0)
    rows = UnviewedCount.objects.filter(bailiff=bailiff).values_list("category", "unviewed")
    counts.update((category, max(count, 0)) for category, count in rows)
    return counts


# --- marking viewed ------------------------------------------------------------------------


def mark_viewed(bailiff: Bailiff, notice_id: int) -> DashboardNotice:
    """The eye: this notice of the bailiff's leaves his list (idempotent).

    Raises ``NoticeNotFound`` for a notice that is not his (or does not exist)."""
    notice = DashboardNotice.objects.filter(pk=notice_id, bailiff=bailiff).first()
    if notice is None:
        raise NoticeNotFound(notice_id)
    with transaction.atomic():
        moment = timezone.now()
        if DashboardNotice.objects.filter(UNVIEWED, pk=notice.pk).update(viewed_at=moment):
            _add(notice.bailiff_id, notice.category, -1)
            notice.viewed_at = moment
    return notice


def mark_signification_viewed(bailiff: Bailiff, signification_id: int) -> Signification:
    """The magnifier and *Passer en vue dans l'agenda*: every notice of this signification
    of the bailiff's leaves his list (idempotent). Raises ``NoticeNotFound`` for a
    signification that is not his."""
    signification = Signification.objects.filter(pk=signification_id, bailiff=bailiff).first()
    if signification is None:
        raise NoticeNotFound(signification_id)
    notices = DashboardNotice.objects.filter(UNVIEWED, signification=signification)
    with transaction.atomic():
        moment = timezone.now()
        for category in set(notices.values_list("category", flat=True)):
            viewed = notices.filter(category=category).update(viewed_at=moment)
            _add(signification.bailiff_id, category, -viewed)
    return signification
