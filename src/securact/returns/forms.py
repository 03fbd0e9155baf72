"""The forms of an act return, for the recipient's portal (and any page that takes one):

* ``ReturnFileForm`` — the answer as a PDF;
* ``DeclarationForm`` and ``AccountFormSet`` — the garnishee's structured declaration;
* ``ReturnForms`` — the three together, as one page posts them: ``is_valid()``, then
  ``pdf()`` and ``declaration()`` for ``services.submit_return``, whose refusals go back
  onto the forms with ``show_refusal()``.

Every message is French (gettext). Amounts are typed as people write them in France
(« 1 234,56 », « 1234.56 », « 1 234,56 € »); account numbers with or without spaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from securact.evidence.pdf_layout import paris_time
from securact.returns.declaration import (
    MAX_ACCOUNTS,
    PRIOR_ENCUMBRANCES_MAX_LENGTH,
    AccountLine,
    Declaration,
    not_for_companies,
    protected_balance_required,
)
from securact.returns.errors import DeclarationInvalid, ReturnRefused
from securact.returns.models import AccountKind, Direction
from securact.returns.validators import (
    ACCOUNT_NUMBER_MAX_LENGTH,
    normalize_account_number,
    validate_account_number,
    validate_amount,
)
from securact.significations.models import Signification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

INDIVIDUAL = "personne_physique"
COMPANY = "personne_morale"
# Spaces people and spreadsheets put in amounts (ordinary, no-break, narrow no-break).
_AMOUNT_NOISE = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "€": None, ",": "."})


class EuroField(forms.DecimalField):
    """An amount in euros: positive or zero, cents at most (``validate_amount``)."""

    # A text box, not type=number: browsers refuse « 1 234,56 » in a number input.
    widget = forms.TextInput

    def __init__(self, *, amount_label: StrOrPromise, **kwargs: Any) -> None:
        self.amount_label = amount_label
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Saisissez un montant en euros, par exemple 1 234,56.")},
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.translate(_AMOUNT_NOISE)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            validate_amount(value, field_label=str(self.amount_label))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal", "autocomplete": "off"}


class AccountNumberField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_account_number], **kwargs)

    def clean(self, value: Any) -> str:
        return normalize_account_number(super().clean(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Room for an IBAN typed in groups of four (34 characters and 8 spaces).
        return {"maxlength": str(ACCOUNT_NUMBER_MAX_LENGTH + 8), "autocomplete": "off"}


class ReturnFileForm(forms.Form):
    pdf = forms.FileField(
        label=_("Réponse au format PDF"),
        required=False,
        help_text=_("Un fichier PDF : il est converti au format PDF/A puis scellé."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class DeclarationForm(forms.Form):
    # Required only when a declaration is made (``ReturnForms``): a PDF alone needs none.
    debtor_kind = forms.ChoiceField(
        label=_("Le débiteur est"),
        choices=[(INDIVIDUAL, _("une personne physique")), (COMPANY, _("une personne morale"))],
        widget=forms.RadioSelect,
        required=False,
    )
    no_account = forms.BooleanField(
        label=_("Le débiteur ne détient aucun compte dans nos livres"), required=False
    )
    protected_balance = EuroField(
        amount_label=_("Le solde bancaire insaisissable"),
        label=_("Solde bancaire insaisissable (€)"),
        required=False,
        help_text=_(
            "Montant laissé à la disposition d'un débiteur personne physique (article R.162-2 "
            "du code des procédures civiles d'exécution)."
        ),
    )
    prior_encumbrances = forms.CharField(
        label=_("Saisies, nantissements ou cessions antérieurs"),
        required=False,
        max_length=PRIOR_ENCUMBRANCES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Un par ligne : nature, date, bénéficiaire et montant. Laissez vide s'il n'y en a pas."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, amount = data.get("debtor_kind"), data.get("protected_balance")
        if kind == COMPANY and amount is not None:
            self.add_error("protected_balance", not_for_companies())
        elif kind == INDIVIDUAL and amount is None and "protected_balance" not in self.errors:
            self.add_error("protected_balance", protected_balance_required())
        return data


class AccountForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de compte"),
        choices=[("", "—"), *AccountKind.choices],
        error_messages={"required": _("Choisissez le type du compte.")},
    )
    number = AccountNumberField(
        label=_("Numéro de compte ou IBAN"),
        error_messages={"required": _("Indiquez le numéro du compte.")},
    )
    balance = EuroField(
        amount_label=_("Le solde"),
        label=_("Solde au jour de la saisie (€)"),
        error_messages={
            "required": _("Indiquez le solde du compte."),
            "invalid": _("Saisissez un montant en euros, par exemple 1 234,56."),
        },
    )
    direction = forms.ChoiceField(
        label=_("Sens"),
        choices=[("", "—"), *Direction.choices],
        error_messages={"required": _("Indiquez si le solde est créditeur ou débiteur.")},
    )


class BaseAccountFormSet(forms.BaseFormSet[forms.Form]):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            number = form.cleaned_data.get("number")
            if not number:
                continue
            if number in seen:
                form.add_error(
                    "number",
                    gettext("Ce compte est déjà déclaré plus haut : un compte par ligne."),
                )
            seen.add(number)

    def accounts(self) -> tuple[AccountLine, ...]:
        """The filled rows, in order (blank extra rows are ignored)."""
        return tuple(
            AccountLine(
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
                balance=form.cleaned_data["balance"],
                direction=form.cleaned_data["direction"],
            )
            for form in self.forms
            if form.cleaned_data and form.has_changed()
        )


def account_formset(rows: int = 2) -> type[BaseAccountFormSet]:
    """The accounts formset showing ``rows`` blank rows (a bound one has as many rows as
    were posted)."""
    return cast(
        type[BaseAccountFormSet],
        forms.formset_factory(
            AccountForm,
            formset=BaseAccountFormSet,
            extra=max(1, min(rows, MAX_ACCOUNTS)),
            max_num=MAX_ACCOUNTS,
            absolute_max=MAX_ACCOUNTS,
            validate_max=True,
        ),
    )


AccountFormSet = account_formset()


class ReturnForms:
    """The PDF, the declaration and its accounts, posted together.

    ``ReturnForms(request.POST, request.FILES)``; ``is_valid()``; then
    ``submit_return(..., pdf=forms.pdf(), declaration=forms.declaration(), ...)``; on
    ``ReturnRefused`` (or ``DeclarationInvalid``), ``forms.show_refusal(error)`` and render
    the page again. ``errors`` holds the page-level messages (not tied to one field)."""

    def __init__(self, data: Any = None, files: Any = None, *, account_rows: int = 2) -> None:
        self.file = ReturnFileForm(data, files, prefix="retour")
        self.declaration_form = DeclarationForm(data, prefix="declaration")
        self.accounts = account_formset(account_rows)(data, prefix="comptes")
        self.errors: list[str] = []

    def has_declaration(self) -> bool:
        """Did the recipient fill in anything of the declaration?"""
        return self.declaration_form.has_changed() or any(
            form.has_changed() for form in self.accounts.forms
        )

    def is_valid(self) -> bool:
        valid = self.file.is_valid()
        if self.has_declaration():
            valid = self._declaration_is_valid() and valid
        elif self.file.is_valid() and not self.file.cleaned_data.get("pdf"):
            self.errors.append(
                gettext(
                    "Joignez votre réponse au format PDF ou remplissez la déclaration des comptes."
                )
            )
            valid = False
        return valid

    def _declaration_is_valid(self) -> bool:
        form = self.declaration_form
        # Both validated, so that every error shows at once.
        form_valid, accounts_valid = form.is_valid(), self.accounts.is_valid()
        valid = form_valid and accounts_valid
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if not data.get("debtor_kind") and "debtor_kind" not in form.errors:
            form.add_error(
                "debtor_kind",
                gettext("Indiquez si le débiteur est une personne physique ou morale."),
            )
            valid = False
        if valid:
            has_accounts = bool(self.accounts.accounts())
            if not has_accounts and not data.get("no_account"):
                form.add_error(
                    "no_account",
                    gettext(
                        "Déclarez au moins un compte, ou cochez cette case si le débiteur n'en "
                        "détient aucun."
                    ),
                )
                valid = False
            elif has_accounts and data.get("no_account"):
                form.add_error(
                    "no_account",
                    gettext("Vous déclarez des comptes : décochez « aucun compte »."),
                )
                valid = False
        return valid

    def pdf(self) -> File[bytes] | None:
        return self.file.cleaned_data.get("pdf") or None

    def declaration(self) -> Declaration | None:
        if not self.has_declaration():
            return None
        data = self.declaration_form.cleaned_data
        return Declaration(
            debtor_is_individual=data["debtor_kind"] == INDIVIDUAL,
            accounts=self.accounts.accounts(),
            protected_balance=data.get("protected_balance"),
            prior_encumbrances=data.get("prior_encumbrances", ""),
        )

    def show_refusal(self, refusal: ReturnRefused) -> None:
        """Put the service's refusal where the recipient will see it: each field error of a
        ``DeclarationInvalid`` on its field, anything else at the top of the page."""
        if not isinstance(refusal, DeclarationInvalid):
            self.errors.append(refusal.message)
            return
        for key, messages in refusal.errors.items():
            self._add_field_errors(key, messages)

    def _add_field_errors(self, key: str, messages: list[str]) -> None:
        parts = key.split(".")
        try:
            if parts[0] == "accounts" and len(parts) == 3:
                # N counts the filled rows, as ``accounts()`` lists them.
                filled = [form for form in self.accounts.forms if form.has_changed()]
                filled[int(parts[1]) - 1].add_error(parts[2], messages)
                return
            if key in self.declaration_form.fields:
                self.declaration_form.add_error(key, messages)
                return
        except (IndexError, ValueError, ValidationError):
            pass
        self.errors.extend(messages)


class ReleaseForm(forms.Form):
    """The bailiff's choice of the seizure a mainlevée releases."""

    seizure = forms.TypedChoiceField(
        label=_("Saisie levée par cette mainlevée"),
        coerce=int,
        error_messages={
            "required": _("Choisissez la saisie que cette mainlevée lève."),
            "invalid_choice": _("Choisissez la saisie que cette mainlevée lève, dans la liste."),
        },
    )

    def __init__(self, *args: Any, seizures: list[Signification], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["seizure"])
        field.choices = [("", "—")] + [
            (
                seizure.pk,
                gettext("%(reference)s — signifiée le %(day)s — %(nature)s")
                % {
                    "reference": seizure.reference,
                    "day": paris_time(seizure.sent_at) if seizure.sent_at else "",
                    "nature": seizure.nature.label,
                },
            )
            for seizure in seizures
        ]
