"""SIREN: 9 digits with a Luhn key, checked by python-stdnum (no hand-written checksum)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.fr import siren


def validate_siren(value: str) -> None:
    if not value:
        return
    if not value.isdigit() or len(value) != 9:
        raise ValidationError(_("Le SIREN compte 9 chiffres."), code="siren_format")
    if not siren.is_valid(value):
        raise ValidationError(
            _("Ce SIREN est invalide : sa clé de contrôle ne correspond pas."), code="siren_key"
        )
