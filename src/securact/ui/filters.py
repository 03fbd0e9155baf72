"""The search form (F5.1) as a django-filter FilterSet: the manual's criteria, in the URL
(so that a search can be bookmarked), validated before any query runs. The criteria's
meaning lives in ``significations.queries.search``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from securact.directory.models import ActNature
from securact.directory.services import MAX_QUERY_LENGTH
from securact.significations import queries
from securact.significations.models import Act, DeliveryState, Signification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REFERENCE_MAX = Signification._meta.get_field("reference").max_length or 100
DOCUMENT_MAX = Act._meta.get_field("original_name").max_length or 255


def _day_limits() -> list[Any]:
    first, last = queries.FIRST_SEARCH_DAY, queries.LAST_SEARCH_DAY
    return [
        MinValueValidator(
            first,
            format_lazy(
                gettext_lazy("Saisissez une date à partir du {day}."), day=f"{first:%d/%m/%Y}"
            ),
        ),
        MaxValueValidator(
            last,
            format_lazy(gettext_lazy("Saisissez une date jusqu'au {day}."), day=f"{last:%d/%m/%Y}"),
        ),
    ]


def _date_filter(label: StrOrPromise) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "type": "date",
                "min": queries.FIRST_SEARCH_DAY.isoformat(),
                "max": queries.LAST_SEARCH_DAY.isoformat(),
            },
        ),
        validators=_day_limits(),
        error_messages={
            "invalid": gettext_lazy("Saisissez une date valide, par exemple 31/01/2026.")
        },
    )


def _text_filter(
    label: StrOrPromise, max_length: int, too_long: StrOrPromise, **attrs: StrOrPromise
) -> Any:
    return django_filters.CharFilter(
        label=label,
        max_length=max_length,
        error_messages={"max_length": too_long},
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


class SearchForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("du"), data.get("au")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error(
                "au",
                gettext("La date de fin (%(end)s) précède la date de début (%(start)s).")
                % {"end": date_format(end, "d/m/Y"), "start": date_format(start, "d/m/Y")},
            )
        return data


class SignificationFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    """Parameter names are French: they are the bookmarked URL's (``?du=…&au=…``)."""

    du = _date_filter(gettext_lazy("Date de signification du"))
    au = _date_filter(gettext_lazy("au"))
    etat = django_filters.ChoiceFilter(
        label=gettext_lazy("État de la remise"),
        choices=DeliveryState.choices,
        empty_label=gettext_lazy("Tous"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez un état de la liste.")},
    )
    reference = _text_filter(
        gettext_lazy("Référence de l'acte de signification"),
        REFERENCE_MAX,
        gettext_lazy(
            "Une référence compte au plus %(limit_value)d caractères (%(show_value)d saisis)."
        ),
    )
    document = _text_filter(
        gettext_lazy("Nom document"),
        DOCUMENT_MAX,
        gettext_lazy(
            "Un nom de document compte au plus %(limit_value)d caractères (%(show_value)d saisis)."
        ),
    )
    destinataire = _text_filter(
        gettext_lazy("Destinataire"),
        MAX_QUERY_LENGTH,
        gettext_lazy(
            "La recherche d'un destinataire compte au plus %(limit_value)d caractères "
            "(%(show_value)d saisis)."
        ),
        placeholder=gettext_lazy("Nom ou numéro SIRET"),
    )
    nature = django_filters.ChoiceFilter(
        label=gettext_lazy("Nature de l'acte"),
        empty_label=gettext_lazy("Toutes"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez une nature de la liste.")},
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source"),
        choices=Signification.Source.choices,
        empty_label=gettext_lazy("Toutes"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez une source de la liste.")},
    )

    class Meta:
        model = Signification
        fields: list[str] = []
        form = SearchForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Codes in the URL (readable bookmarks), checked against the list: no value typed in
        # the URL ever reaches the database.
        natures = list(
            ActNature.objects.order_by("sort_order", "label").values_list("pk", "code", "label")
        )
        self._natures = {code: pk for pk, code, _label in natures}
        self.filters["nature"].extra["choices"] = [(code, label) for _pk, code, label in natures]

    def criteria(self) -> queries.SearchCriteria:
        data = self.form.cleaned_data
        nature = data.get("nature") or ""
        return queries.SearchCriteria(
            served_from=data.get("du"),
            served_to=data.get("au"),
            delivery_state=data.get("etat") or "",
            reference=data.get("reference") or "",
            document=data.get("document") or "",
            recipient=data.get("destinataire") or "",
            nature_id=self._natures.get(nature),
            source=data.get("source") or "",
        )

    def filter_queryset(self, queryset: QuerySet[Signification]) -> QuerySet[Signification]:
        return queries.search(queryset, self.criteria())
