"""Normalized fields of the directory: what people type ("732 829 320 00074") is stored
normalized ("73282932000074"), whether it comes through a form or from code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.db import models

from securact.directory.validators import (
    compact_identifier,
    normalize_department,
    to_e164,
    validate_department,
    validate_insee,
    validate_landline,
    validate_mobile,
    validate_siret,
)

# --- normalized fields --------------------------------------------------------------------


class NormalizedFormField(forms.CharField):
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


class NormalizedCharField(models.CharField[str, str]):
    """A CharField whose value is normalized before validation and before saving.

    ``to_python`` (run by ``full_clean``) and ``pre_save`` (run by ``save``) both apply
    ``normalize``, so "732 829 320 00074" is stored "73282932000074" whether it comes through
    a form or from code. The subclass's own validator runs first and alone when it refuses,
    so a malformed value gets its French message, not also "at most N characters".
    """

    def normalize(self, value: str) -> str:
        return value.strip()

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return self.normalize(value) if value else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def run_validators(self, value: Any) -> None:
        # The field's own check first: when it refuses, its message is the only one shown.
        for validator in self.default_validators:
            validator(value)
        super().run_validators(value)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:

        if form_class is None:
            form_class, kwargs["normalizer"] = NormalizedFormField, self.normalize
        return super().formfield(
            form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        # Migrations name the field by its public path (the models package re-exports it), as
        # Django does for its own fields: moving this module never rewrites a migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, f"securact.directory.models.{type(self).__qualname__}", args, kwargs


class SiretField(NormalizedCharField):
    default_validators = [validate_siret]

    def normalize(self, value: str) -> str:
        return compact_identifier(value)


class InseeField(NormalizedCharField):
    default_validators = [validate_insee]

    def normalize(self, value: str) -> str:
        return compact_identifier(value)


class LandlineField(NormalizedCharField):
    """A landline number, stored in E.164 ("+33142345678")."""

    default_validators = [validate_landline]

    def normalize(self, value: str) -> str:
        return to_e164(value)


class MobileField(NormalizedCharField):
    """A mobile number, stored in E.164 ("+33612345678")."""

    default_validators = [validate_mobile]

    def normalize(self, value: str) -> str:
        return to_e164(value)


class DepartmentField(NormalizedCharField):
    default_validators = [validate_department]

    def normalize(self, value: str) -> str:
        return normalize_department(value)
