"""One page of a category's table (F2.2): filter, sort, paging, from the URL as typed.

Everything is read from the notices table through its partial indexes (models.py): two
queries per page — the total (the category's counter, or a count when filtered) and the
rows — whatever the number of notices or the rows per page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from securact.core.legal_calendar import PARIS
from securact.dashboard.models import UNVIEWED, Category, DashboardNotice, UnviewedCount
from securact.directory.models import Bailiff
from securact.directory.validators import normalize_name

PER_PAGE_CHOICES = (10, 25, 50)
DEFAULT_PER_PAGE = 10
MAX_FILTER_LENGTH = 100
PAGE_LINKS = 5  # page numbers shown around the current one in `<< < 1 2 3 > >>`

# Sort keys of the table (``-key`` descending) → the columns ordered by, id last so that
# pages are stable; each order has its partial index (models.py).
SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "id"),
    "date": ("deposited_at", "id"),
    "file": ("deposited_file", "id"),
    "recipient": ("recipient_name", "id"),
    "event": ("event", "deposited_at", "id"),
}
DEFAULT_SORT = "-date"


class UnknownCategory(ValueError):
    pass


def parse_category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        raise UnknownCategory(value) from None


@dataclass(frozen=True)
class NoticeRow:
    notice_id: int
    signification_id: int
    reference: str
    deposited_at: datetime  # Europe/Paris
    deposited_file: str
    file_count: int
    recipient: str
    event: str  # translated


@dataclass(frozen=True)
class CategoryPage:
    """One page of a category's table, and the request it answers (corrected if needed)."""

    category: Category
    rows: list[NoticeRow]
    total: int
    number: int
    per_page: int
    sort: str
    filter_text: str
    messages: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1 if self.rows else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def page_numbers(self) -> list[int]:
        """At most ``PAGE_LINKS`` page numbers around the current one."""
        start = max(1, min(self.number - PAGE_LINKS // 2, self.num_pages - PAGE_LINKS + 1))
        return list(range(start, min(self.num_pages, start + PAGE_LINKS - 1) + 1))

    @property
    def page_after_removal(self) -> int:
        """The page to show once one row of this page has left the list."""
        return self.number - 1 if len(self.rows) == 1 and self.number > 1 else self.number

    def sort_for(self, key: str) -> str:
        """The sort a click on column ``key`` asks for: ascending, or reversed if current."""
        return f"-{key}" if self.sort == key else key


@dataclass
class _Request:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = DEFAULT_SORT
    filter_text: str = ""
    messages: list[str] = field(default_factory=list)


def category_page(
    bailiff: Bailiff,
    category: str,
    page: Any = 1,
    per_page: Any = DEFAULT_PER_PAGE,
    sort: str | None = DEFAULT_SORT,
    filter_text: str | None = "",
) -> CategoryPage:
    """One page of the bailiff's unviewed notices of ``category``, in two queries: the total
    (the category's counter; a count when filtered) and the rows. Values come from the URL
    as typed: anything out of range is replaced by a sensible one, explained in French in
    ``messages``."""
    wanted = _parse(page, per_page, sort, filter_text)
    category = parse_category(category)
    notices = DashboardNotice.objects.filter(UNVIEWED, bailiff=bailiff, category=category)
    words = normalize_name(wanted.filter_text).split()[:10]
    for word in words:
        notices = notices.filter(search_text__contains=word)
    total = notices.count() if words else _counter(bailiff, category)
    last_page = max(1, math.ceil(total / wanted.per_page))
    if wanted.page > last_page:
        wanted.messages.append(
            gettext("La page demandée n'existe pas : voici la dernière page (%(last)d).")
            % {"last": last_page}
        )
        wanted.page = last_page
    return CategoryPage(
        category=category,
        rows=_rows(notices, wanted, total),
        total=total,
        number=wanted.page,
        per_page=wanted.per_page,
        sort=wanted.sort,
        filter_text=wanted.filter_text,
        messages=wanted.messages,
    )


def _counter(bailiff: Bailiff, category: Category) -> int:
    counter = UnviewedCount.objects.filter(bailiff=bailiff, category=category).first()
    return max(counter.unviewed, 0) if counter else 0


def _rows(notices: QuerySet[DashboardNotice], wanted: _Request, total: int) -> list[NoticeRow]:
    """The rows of the wanted page. Pages in the second half are read from the other end
    (the same index, backwards), so the last pages cost what the first ones do."""
    offset = (wanted.page - 1) * wanted.per_page
    size = min(wanted.per_page, total - offset)
    if size <= 0:
        return []
    descending = wanted.sort.startswith("-")
    columns = SORTS[wanted.sort.removeprefix("-")]
    from_end = total - offset - size
    if from_end < offset:
        descending = not descending
    ordered = notices.order_by(*(f"-{c}" if descending else c for c in columns))
    if from_end < offset:
        return [_row(n) for n in list(ordered[from_end : from_end + size])[::-1]]
    return [_row(n) for n in ordered[offset : offset + size]]


def _row(notice: DashboardNotice) -> NoticeRow:
    return NoticeRow(
        notice_id=notice.pk,
        signification_id=notice.signification_id,
        reference=notice.reference,
        deposited_at=notice.deposited_at.astimezone(PARIS),
        deposited_file=notice.deposited_file,
        file_count=notice.file_count,
        recipient=notice.recipient_name,
        event=gettext(notice.event),
    )


def _parse(page: Any, per_page: Any, sort: str | None, filter_text: str | None) -> _Request:
    wanted = _Request()
    if per_page not in (None, ""):
        number = _integer(per_page)
        if number in PER_PAGE_CHOICES:
            wanted.per_page = number
        else:
            wanted.messages.append(
                gettext("On ne peut afficher que 10, 25 ou 50 lignes par page : 10 sont affichées.")
            )
    if page not in (None, ""):
        number = _integer(page)
        if number is not None and number >= 1:
            wanted.page = number
        else:
            wanted.messages.append(gettext("Numéro de page invalide : voici la première page."))
    if sort:
        if sort.removeprefix("-") in SORTS:
            wanted.sort = sort
        else:
            wanted.messages.append(gettext("Tri inconnu : les dépôts les plus récents d'abord."))
    text = (filter_text or "").strip()
    if len(text) > MAX_FILTER_LENGTH:
        wanted.messages.append(
            gettext("Le filtre est limité à %(max)d caractères : il n'a pas été appliqué.")
            % {"max": MAX_FILTER_LENGTH}
        )
    else:
        wanted.filter_text = text
    return wanted


def _integer(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:  # not a number, or more digits than Python converts
        return None
