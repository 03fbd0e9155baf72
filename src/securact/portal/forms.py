"""The portal's forms: the deposits' filters (in the URL, French names) and the settings
(F8.2), all with French field errors. Rules live in ``services`` and ``consent``."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from securact.directory.models import AcceptedNature, ActNature, Recipient, Weekday
from securact.portal import consent
from securact.significations.models import Signification
from securact.ui.deposits import DepositCriteria, DepositState, filter_deposits
from securact.ui.filters import SearchForm, _date_filter

PRACTICE_MAX = 200
REFERENCE_MAX = 100  # a reference's own length (significations.services.REFERENCE)
DEBTOR_MAX = 200  # a company's name's own length (datamessage.models.ActElements)


def _text_filter(label: Any, limit: int, too_long: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label=label,
        max_length=limit,
        error_messages={"max_length": too_long},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class DepositFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    """``?nature=…&du=…&au=…&etude=…&etat=…&reference=…&debiteur=…`` (bookmarkable),
    checked before any query."""

    nature = django_filters.ChoiceFilter(
        label=gettext_lazy("Nature de l'acte"),
        empty_label=gettext_lazy("Toutes"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez une nature de la liste.")},
    )
    du = _date_filter(gettext_lazy("Envoyé du"))
    au = _date_filter(gettext_lazy("au"))
    etude = django_filters.CharFilter(
        label=gettext_lazy("Étude (code ou nom)"),
        max_length=PRACTICE_MAX,
        error_messages={
            "max_length": gettext_lazy(
                "Une étude se cherche en au plus %(limit_value)d caractères "
                "(%(show_value)d saisis)."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "9991"}),
    )
    reference = _text_filter(
        gettext_lazy("Référence de dépôt"),
        REFERENCE_MAX,
        gettext_lazy(
            "Une référence se cherche en au plus %(limit_value)d caractères "
            "(%(show_value)d saisis)."
        ),
    )
    debiteur = _text_filter(
        gettext_lazy("Débiteur (nom ou dénomination)"),
        DEBTOR_MAX,
        gettext_lazy(
            "Un débiteur se cherche en au plus %(limit_value)d caractères (%(show_value)d saisis)."
        ),
    )
    etat = django_filters.ChoiceFilter(
        label=gettext_lazy("État"),
        choices=DepositState.CHOICES,
        empty_label=gettext_lazy("Tous"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez un état de la liste.")},
    )

    class Meta:
        model = Signification
        fields: list[str] = []
        form = SearchForm  # "au" before "du" is a French error on "au"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        natures = list(
            ActNature.objects.order_by("sort_order", "label").values_list("pk", "code", "label")
        )
        self._natures = {code: pk for pk, code, _label in natures}
        self.filters["nature"].extra["choices"] = [(code, label) for _pk, code, label in natures]

    def criteria(self) -> DepositCriteria:
        data = self.form.cleaned_data
        return DepositCriteria(
            nature_id=self._natures.get(data.get("nature") or ""),
            sent_from=data.get("du"),
            sent_to=data.get("au"),
            practice=data.get("etude") or "",
            state=data.get("etat") or "",
            reference=data.get("reference") or "",
            debtor=data.get("debiteur") or "",
        )

    def filter_queryset(self, queryset: QuerySet[Signification]) -> QuerySet[Signification]:
        return filter_deposits(queryset, self.criteria())


# --- settings --------------------------------------------------------------------------------


class ContactsForm(forms.ModelForm[Recipient]):
    """Alert email and mobile, validated by the directory's own fields and validators
    (``validate_mobile``: a French or overseas mobile number, stored in E.164)."""

    class Meta:
        model = Recipient
        fields = ("email", "mobile")
        labels = {
            "email": gettext_lazy("Adresse électronique des alertes"),
            "mobile": gettext_lazy("Mobile des alertes SMS"),
        }
        help_texts = {
            "email": gettext_lazy("Chaque dépôt y est annoncé."),
            "mobile": gettext_lazy("Facultatif : sans numéro, aucune alerte SMS n'est envoyée."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "mobile": forms.TextInput(attrs={"placeholder": "06 12 34 56 78", "type": "tel"}),
        }
        error_messages = {
            "email": {
                "required": gettext_lazy("Indiquez l'adresse électronique des alertes."),
                "invalid": gettext_lazy(
                    "Saisissez une adresse électronique valide, par exemple "
                    "significations@banque.fr."
                ),
            }
        }


class AcceptNatureForm(forms.Form):
    nature = forms.ModelChoiceField(
        label=gettext_lazy("Nature d'acte à accepter"),
        queryset=ActNature.objects.none(),
        empty_label=gettext_lazy("Choisissez une nature"),
        error_messages={
            "required": gettext_lazy("Choisissez une nature d'acte."),
            "invalid_choice": gettext_lazy(
                "Choisissez une nature de la liste (elle est peut-être déjà acceptée)."
            ),
        },
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "accepter")
        super().__init__(*args, **kwargs)
        field = self.fields["nature"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrowing for mypy
        field.queryset = consent.available_natures(recipient)


_TIME_ERRORS = {
    "invalid": gettext_lazy("Saisissez une heure valide, par exemple 08:00."),
}


def _time_field(label: Any, required: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={**_TIME_ERRORS, "required": required},
    )


class WindowForm(forms.Form):
    """One weekly window of an accepted nature: start included, end excluded."""

    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Jour"),
        choices=Weekday.choices,
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choisissez un jour."),
            "invalid_choice": gettext_lazy("Choisissez un jour de la liste."),
        },
    )
    start = _time_field(gettext_lazy("De"), gettext_lazy("Indiquez l'heure de début."))
    end = _time_field(gettext_lazy("À"), gettext_lazy("Indiquez l'heure de fin."))

    def __init__(self, *args: Any, accepted: AcceptedNature, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"plage-{accepted.pk}")
        super().__init__(*args, **kwargs)
        self.accepted = accepted

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekday, start, end = data.get("weekday"), data.get("start"), data.get("end")
        if weekday is None or start is None or end is None:
            return data
        try:
            consent.check_window(list(self.accepted.windows.all()), weekday, start, end)
        except ValidationError as refused:
            self.add_error(None, refused)
        return data


def accepted_for(recipient: Recipient, accepted_id: int) -> AcceptedNature | None:
    return (
        AcceptedNature.objects.filter(pk=accepted_id, recipient=recipient)
        .select_related("nature")
        .prefetch_related("windows")
        .first()
    )
