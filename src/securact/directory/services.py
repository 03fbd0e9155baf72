"""Directory rules: finding a recipient (F3.1) and the natures it accepts (F3.3).

Name search design. Names are matched case- and accent-insensitively, as a prefix of the
whole name or of any of its words. Both databases would need a full scan for
``LIKE '% word%'``, and a functional or trigram index would differ between SQLite and
PostgreSQL. So ``Recipient.save`` keeps, for every word of the normalized name
(``normalize_name``), one ``RecipientSearchTerm`` row holding the name from that word on
("societe generale paris", "generale paris", "paris"). A query is normalized the same way
and matched as a prefix of ``term``, written as a range (``term >= q AND term < q'``, q'
being q with its last character incremented), which a plain B-tree index serves on both
databases whatever their collation; an exact ``startswith`` alongside keeps the result
exact under PostgreSQL's linguistic collations. (``Recipient.name_search``, the normalized
name, orders the results: « Éta » between « alpha » and « Zeta » on both databases.)
Identifiers (SIRET, INSEE) are matched the same way on their own unique or indexed columns.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from securact.directory.models import ActNature, Recipient, RecipientSearchTerm
from securact.directory.validators import compact_identifier, normalize_name

__all__ = [
    "MAX_QUERY_LENGTH",
    "PAGE_SIZES",
    "accepted_natures",
    "normalize_name",
    "recipient_search_page",
    "search_recipients",
]

MAX_QUERY_LENGTH = 200
PAGE_SIZES = (10, 25, 50)

_SIRET_PREFIX = re.compile(r"[0-9]{1,14}")
# A NIR starts with a digit; Corsica's department is written 2A or 2B.
_INSEE_PREFIX = re.compile(r"[0-9][0-9AB]{0,14}")


def search_recipients(query: str) -> QuerySet[Recipient]:
    """Recipients whose SIRET or INSEE number starts with ``query`` (spaces and dots
    ignored), or whose name or one of its words does (case and accents ignored); by name.

    An empty query finds nothing; a query longer than ``MAX_QUERY_LENGTH`` characters is a
    ``ValueError`` with a French message.
    """
    text = query.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(
            gettext("La recherche ne peut dépasser %(max)d caractères.") % {"max": MAX_QUERY_LENGTH}
        )
    matches = [*_name_matches(text), *_identifier_matches(text)]
    if not matches:
        return Recipient.objects.none()
    first, *others = matches
    ids = first.union(*others) if others else first
    return Recipient.objects.filter(pk__in=ids).order_by("name_search", "pk")


def accepted_natures(recipient: Recipient) -> QuerySet[ActNature]:
    """The active act natures ``recipient`` accepts, in display order (F3.3)."""
    return ActNature.objects.filter(is_active=True, acceptednature__recipient=recipient).order_by(
        "sort_order", "label"
    )


# Each kind of match is its own id query, the ids united (UNION): every branch is then
# one index range scan on both databases, where an OR of a subquery and columns would make
# PostgreSQL scan the whole recipient table.


def _name_matches(text: str) -> list[QuerySet[Any]]:
    words = normalize_name(text)
    if not words:
        return []
    return [RecipientSearchTerm.objects.filter(_prefix("term", words)).values("recipient_id")]


def _identifier_matches(text: str) -> list[QuerySet[Any]]:
    compact = compact_identifier(text)
    fields = [
        field
        for field, pattern in (("siret", _SIRET_PREFIX), ("insee", _INSEE_PREFIX))
        if pattern.fullmatch(compact)
    ]
    return [
        Recipient.objects.filter(_prefix(field, compact)).order_by().values("pk")
        for field in fields
    ]


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as an index range scan (see the module docstring)."""
    upper_bound = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(
        **{f"{field}__gte": prefix, f"{field}__lt": upper_bound, f"{field}__startswith": prefix}
    )


def recipient_search_page(
    query: str, page_number: int | str = 1, per_page: int = 10
) -> Page[Recipient]:
    """One page of ``search_recipients`` (F3.1: paged results). ``per_page`` is one of the
    screens' sizes (10, 25, 50); an out-of-range page number gives the last page."""
    if per_page not in PAGE_SIZES:
        per_page = PAGE_SIZES[0]
    return Paginator(search_recipients(query), per_page).get_page(page_number)
