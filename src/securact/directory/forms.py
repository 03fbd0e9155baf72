"""Form fields and forms of the directory.

``NormalizedCharField`` is the form side of the directory's normalized model fields
(``SiretField``, ``LandlineField``…): it accepts what people type ("732 829 320 00074",
"06 12 34 56 78") and hands the stored form to the model's validators, which give the
French error. Any ``ModelForm`` on ``Recipient`` gets it through ``formfield()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from securact.directory.models import Recipient


class NormalizedCharField(forms.CharField):
    """A text field whose value is normalized before any validation.

    The stored length is enforced by the model field's own validators (a SIRET has 14
    digits, an E.164 number at most 16 characters), so the input may be longer: spaces and
    dots are allowed while typing.
    """

    def __init__(
        self, *, normalizer: Callable[[str], str], input_max_length: int = 32, **kwargs: Any
    ) -> None:
        self.normalizer = normalizer
        self.input_max_length = input_max_length
        kwargs["max_length"] = None
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return self.normalizer(text) if text else str(text or "")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.input_max_length)
        return attrs


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
