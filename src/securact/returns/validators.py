"""Checks of a garnishee's declaration, each raising a ``ValidationError`` with a French
message, shared by the forms (field errors) and the service (a declaration that comes by
another way than a form is checked the same).

IBAN checksums come from python-stdnum: nothing hand-written.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import iban, numdb

# The longest IBAN (ISO 13616); French domestic account numbers (11 characters) and the
# banks' internal numbers are shorter.
ACCOUNT_NUMBER_MAX_LENGTH = 34
# Larger than any balance, small enough for every database's DECIMAL(15, 2).
AMOUNT_MAX = Decimal("9999999999999.99")
_ACCOUNT_CHARACTERS = re.compile(r"[A-Z0-9./-]+")
# Two letters then two check digits: what an IBAN starts with.
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")
_IBAN_COUNTRIES = numdb.get("iban")


def normalize_account_number(value: str) -> str:
    """What the recipient typed, as stored: no spaces (IBANs are printed in groups of four),
    capitals."""
    return "".join(value.split()).upper()


def _looks_like_iban(number: str) -> bool:
    """An IBAN of a country the IBAN registry knows: only those get the checksum test, so
    that a bank's own account numbering is never refused for not being an IBAN."""
    if not _IBAN_SHAPE.fullmatch(number):
        return False
    return any("country" in info for _part, info in _IBAN_COUNTRIES.info(number)[:1])


def validate_account_number(value: str) -> None:
    number = normalize_account_number(value)
    if not number:
        raise ValidationError(_("Indiquez le numéro du compte."), code="required")
    if len(number) > ACCOUNT_NUMBER_MAX_LENGTH:
        raise ValidationError(
            _(
                "Le numéro de compte ne peut pas dépasser %(limit)d caractères (la longueur "
                "d'un IBAN), espaces non comptés : celui-ci en compte %(length)d."
            ),
            code="max_length",
            params={"limit": ACCOUNT_NUMBER_MAX_LENGTH, "length": len(number)},
        )
    if not _ACCOUNT_CHARACTERS.fullmatch(number):
        raise ValidationError(
            _(
                "Le numéro de compte ne peut contenir que des lettres sans accent, des "
                "chiffres, des points, des tirets et des barres obliques."
            ),
            code="invalid",
        )
    if _looks_like_iban(number):
        try:
            iban.validate(number)
        except stdnum_errors.ValidationError as error:
            raise ValidationError(
                _("Cet IBAN est invalide (longueur ou clé de contrôle) : vérifiez-le."),
                code="invalid_iban",
            ) from error


def validate_amount(value: Decimal, *, field_label: str) -> None:
    """A balance in euros: positive or zero (the sense of a balance is a separate field),
    with at most two decimals."""
    if value < 0:
        raise ValidationError(
            _(
                "%(field)s ne peut pas être négatif : indiquez le montant sans signe "
                "(le sens créditeur ou débiteur se choisit à côté)."
            ),
            code="negative",
            params={"field": field_label},
        )
    if value > AMOUNT_MAX:
        raise ValidationError(
            _("%(field)s est trop élevé."), code="too_large", params={"field": field_label}
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationError(
            _("%(field)s s'exprime en euros avec au plus deux décimales (centimes)."),
            code="cents",
            params={"field": field_label},
        )
