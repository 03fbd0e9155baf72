"""Form fields and forms of the directory.

``models.fields.NormalizedFormField`` is the form side of the directory's normalized model fields
(``SiretField``, ``LandlineField``…): it accepts what people type ("732 829 320 00074",
"06 12 34 56 78") and hands the stored form to the model's validators, which give the
French error. Any ``ModelForm`` on ``Recipient`` gets it through ``formfield()``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from securact.directory.models import Recipient


class RecipientForm(forms.ModelForm[Recipient]):
    """The recipient's identity and alert contacts (operators' admin, recipient's profile)."""

    class Meta:
        model = Recipient
        fields = ("name", "siret", "insee", "email", "landline", "mobile", "department", "address")
        widgets = {
            "siret": forms.TextInput(
                attrs={"placeholder": _("14 chiffres"), "inputmode": "numeric"}
            ),
            "landline": forms.TextInput(attrs={"placeholder": "01 23 45 67 89", "type": "tel"}),
            "mobile": forms.TextInput(attrs={"placeholder": "06 12 34 56 78", "type": "tel"}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
