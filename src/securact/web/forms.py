"""The service form (F3): reference, recipient, nature, signing certificate and PIN."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from securact.core.ids import parse_id
from securact.directory.models import ActNature, Recipient
from securact.directory.services import accepted_natures
from securact.significations.services import REFERENCE
from securact.signing.token import TokenCertificateChoice


class ServeForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence de dépôt étude"),
        max_length=100,
        error_messages={"required": _("Saisissez la référence de dépôt de votre étude.")},
    )
    recipient = forms.ModelChoiceField(
        queryset=Recipient.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choisissez le destinataire."),
            "invalid_choice": _("Destinataire inconnu."),
        },
    )
    nature = forms.ModelChoiceField(
        label=_("Nature de l'acte"),
        queryset=ActNature.objects.none(),
        empty_label=_("Choisir…"),
        error_messages={
            "required": _("Choisissez la nature de l'acte."),
            "invalid_choice": _("Ce destinataire n'accepte pas cette nature d'acte."),
        },
    )
    certificate = forms.ChoiceField(
        label=_("Sélection du certificat de signature"),
        error_messages={
            "required": _("Aucun certificat de signature trouvé"),
            "invalid_choice": _("Ce certificat de signature n'est plus connecté."),
        },
    )
    pin = forms.CharField(
        label=_("Code PIN"),
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Saisissez le code PIN de votre clé de signature.")},
    )

    def __init__(self, *args: Any, choices: list[TokenCertificateChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.certificate_choices = {choice.key: choice for choice in choices}
        certificate_field: forms.ChoiceField = self.fields["certificate"]  # type: ignore[assignment]
        certificate_field.choices = [(c.key, c.label) for c in choices]
        recipient = self._recipient()
        if recipient is not None:
            nature_field: forms.ModelChoiceField[ActNature] = self.fields["nature"]  # type: ignore[assignment]
            nature_field.queryset = accepted_natures(recipient)

    def _recipient(self) -> Recipient | None:
        raw = self.data.get("recipient") if self.is_bound else self.initial.get("recipient")
        recipient_id = parse_id(raw)
        return Recipient.objects.filter(pk=recipient_id).first() if recipient_id else None

    def clean_reference(self) -> str:
        reference = str(self.cleaned_data["reference"]).strip()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                _(
                    "1 à 100 caractères parmi lettres sans accent, chiffres, espace, tiret, point "
                    "et souligné."
                )
            )
        return reference

    def chosen_certificate(self) -> TokenCertificateChoice:
        return self.certificate_choices[self.cleaned_data["certificate"]]
