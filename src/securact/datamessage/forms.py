"""The act's essential elements as a form (F8.3): the web form's « Données de l'acte »
section, and the check every entry point goes through (``services.check_elements``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from securact.core import clock
from securact.core.ids import parse_id
from securact.core.legal_calendar import PARIS
from securact.datamessage.models import ActElements, DebtorKind
from securact.directory.models import ActNature

# Field name prefix in the service form (its own fields are reference, nature, pin…).
PREFIX = "donnees"
PERSON_FIELDS = ("debtor_surname", "debtor_given_names", "debtor_birth_date", "debtor_birth_place")
COMPANY_FIELDS = ("debtor_company_name", "debtor_siren")
FIELDS = (
    "debtor_kind",
    "debtor_surname",
    "debtor_given_names",
    "debtor_birth_date",
    "debtor_birth_place",
    "debtor_company_name",
    "debtor_siren",
    "creditor_name",
    "creditor_siren",
    "title_kind",
    "title_issuer",
    "title_date",
    "title_reference",
    "principal",
    "interest",
    "costs",
)
REQUIRED = {
    "debtor_kind": _("Indiquez si le débiteur est une personne physique ou morale."),
    "debtor_surname": _("Saisissez le nom du débiteur."),
    "debtor_given_names": _("Saisissez les prénoms du débiteur."),
    "debtor_birth_date": _("Saisissez la date de naissance du débiteur."),
    "debtor_birth_place": _("Saisissez le lieu de naissance du débiteur."),
    "debtor_company_name": _("Saisissez la dénomination du débiteur."),
    "debtor_siren": _("Saisissez le SIREN du débiteur."),
    "creditor_name": _("Saisissez le nom du créancier."),
    "title_kind": _("Choisissez la nature du titre."),
    "title_issuer": _("Saisissez la juridiction ou l'auteur du titre."),
    "title_date": _("Saisissez la date du titre."),
    "title_reference": _("Saisissez la référence du titre."),
    "principal": _("Saisissez le montant en principal."),
    "interest": _("Saisissez le montant des intérêts (0 s'il n'y en a pas)."),
    "costs": _("Saisissez le montant des frais (0 s'il n'y en a pas)."),
}


def _today() -> date:
    return clock.now().astimezone(PARIS).date()


class ActElementsForm(forms.ModelForm[ActElements]):
    class Meta:
        model = ActElements
        fields = FIELDS
        widgets = {
            "debtor_kind": forms.RadioSelect,
            "debtor_birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in REQUIRED:
                field.error_messages["required"] = REQUIRED[name]
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("Date invalide : jour, mois, année.")
            if isinstance(field, forms.DecimalField):
                field.error_messages.update(
                    invalid=_("Montant invalide : des euros, avec au plus deux décimales."),
                    max_decimal_places=_("Deux décimales au plus (les centimes)."),
                    max_digits=_("Montant trop élevé."),
                    max_whole_digits=_("Montant trop élevé."),
                )
            if name.endswith("_siren"):
                # Typed as printed (« 732 829 320 »): spaces go before the length is checked.
                field.validators = []
                field.widget.attrs.update(maxlength="11", inputmode="numeric")
            if name in PERSON_FIELDS or name in COMPANY_FIELDS:
                field.required = False  # required by the debtor's kind, in clean()
        kind_field: forms.ChoiceField = self.fields["debtor_kind"]  # type: ignore[assignment]
        kind_field.choices = list(DebtorKind.choices)  # radio buttons, no empty "-----"

    def _clean_siren(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "").replace(" ", "")

    def clean_debtor_siren(self) -> str:
        return self._clean_siren("debtor_siren")

    def clean_creditor_siren(self) -> str:
        return self._clean_siren("creditor_siren")

    def _not_in_future(self, name: str, message: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        if value is not None and value > _today():
            raise forms.ValidationError(message)
        return value

    def clean_debtor_birth_date(self) -> date | None:
        return self._not_in_future(
            "debtor_birth_date", str(_("La date de naissance ne peut pas être dans le futur."))
        )

    def clean_title_date(self) -> date | None:
        return self._not_in_future(
            "title_date", str(_("La date du titre ne peut pas être dans le futur."))
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("debtor_kind")
        needed, unused = (
            (COMPANY_FIELDS, PERSON_FIELDS)
            if kind == DebtorKind.COMPANY
            else (PERSON_FIELDS, COMPANY_FIELDS)
        )
        if kind:
            for name in needed:
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, str(REQUIRED[name]))
            for name in unused:  # what was typed for the other kind is not kept
                cleaned[name] = None if name == "debtor_birth_date" else ""
        return cleaned

    def first_error(self) -> tuple[str, str]:
        """(field, "Label : message") of the first error, in the form's order."""
        for name in [*self.fields, "__all__"]:
            if name in self.errors:
                label = self.fields[name].label if name in self.fields else ""
                message = self.errors[name][0]
                return name, f"{label} : {message}" if label else str(message)
        return "", ""


def elements_form_for(
    nature_pk: object, data: Mapping[str, Any] | None = None, *, initial: bool = False
) -> ActElementsForm | None:
    """The service form's « Données de l'acte » section for the chosen nature, or None when
    that nature needs no data message. ``initial``: what was typed is shown again without
    judging it yet (the nature just changed)."""
    nature_id = parse_id(nature_pk)
    nature = ActNature.objects.filter(pk=nature_id).first() if nature_id else None
    if nature is None or not nature.needs_data_message:
        return None
    if data is None:
        return ActElementsForm(prefix=PREFIX)
    if initial:
        typed = {name: data.get(f"{PREFIX}-{name}") for name in FIELDS}
        return ActElementsForm(prefix=PREFIX, initial={k: v for k, v in typed.items() if v})
    return ActElementsForm(data, prefix=PREFIX)
