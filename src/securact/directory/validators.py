"""Validators and normalizers of the directory's French identifiers.

Checksums come from python-stdnum and phone rules from phonenumbers: nothing hand-written.
Each ``validate_*`` raises a ``ValidationError`` with a French message (so a form shows a
field error); each normalizer turns what a user types into the stored form and leaves a
value it cannot understand as it is, for the validator to refuse.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import nir, siret

#: The French departments: metropolitan 01–95 (Corsica as 2A and 2B) and the five overseas
#: departments. Overseas collectivities (975, 977, 978, 98x) are not departments.
DEPARTMENTS: frozenset[str] = frozenset(
    [f"{number:02d}" for number in range(1, 96) if number != 20]
    + ["2A", "2B", "971", "972", "973", "974", "976"]
)

#: Regions tried, in this order, for a national-format number ("0590…") that is not a
#: valid metropolitan number: the overseas departments and collectivities.
_OVERSEAS_REGIONS = ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")
_LANDLINE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        # 09 numbers (internet boxes, company switchboards) are landlines to users.
        phonenumbers.PhoneNumberType.VOIP,
    }
)
_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_SEPARATORS = re.compile(r"[\s.]")
_PRACTICE_CODE = re.compile(r"[0-9]+")
_RETURN_LABEL = re.compile(r"[A-Z0-9_]+")
# Ligatures that Unicode decomposition keeps: French writes "oeuvre" for "œuvre".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})
_NOT_WORD = re.compile(r"[\W_]+")


# --- normalizers -------------------------------------------------------------------------


def compact_identifier(value: str) -> str:
    """Remove spaces and dots, upper-case: "732 829 320 00074" → "73282932000074"."""
    return _SEPARATORS.sub("", value).upper()


def normalize_department(value: str) -> str:
    """ " 2a" → "2A", "1" → "01"."""
    value = value.strip().upper()
    return value.zfill(2) if value.isdigit() and len(value) == 1 else value


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The valid number ``value`` denotes (French national format by default), or None."""
    regions = ("FR", *_OVERSEAS_REGIONS) if value.strip().startswith("0") else ("FR",)
    for region in regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return number
    return None


def to_e164(value: str) -> str:
    """ "06 12 34 56 78" → "+33612345678"; a value that is no valid number is kept as is."""
    number = parse_phone(value)
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_name(text: str) -> str:
    """Case-folded, accent-free words separated by one space: « Société Générale » →
    "societe generale"; punctuation separates words ("L'Épargne-Crédit" → "l epargne credit").
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", stripped).strip()


# --- validators --------------------------------------------------------------------------


def validate_siret(value: str) -> None:
    """14 digits whose Luhn keys (SIREN and SIRET) are right."""
    # InvalidLength is a kind of InvalidFormat: catch it first.
    try:
        siret.validate(value)
    except stdnum_errors.InvalidLength as error:
        raise ValidationError(
            _("Numéro SIRET invalide : il doit compter 14 chiffres."), code="invalid_siret"
        ) from error
    except stdnum_errors.InvalidFormat as error:
        raise ValidationError(
            _("Numéro SIRET invalide : il ne doit contenir que des chiffres."),
            code="invalid_siret",
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(
            _("Numéro SIRET invalide : la clé de contrôle est fausse."), code="invalid_siret"
        ) from error


def validate_insee(value: str) -> None:
    """A NIR (« numéro INSEE ») of 15 characters with its key (2A/2B allowed for Corsica)."""
    if len(nir.compact(value)) != 15:  # stdnum checks the format first: say the length.
        raise ValidationError(
            _("Numéro INSEE invalide : il doit compter 15 caractères."), code="invalid_insee"
        )
    try:
        nir.validate(value)
    except stdnum_errors.InvalidFormat as error:
        raise ValidationError(
            _("Numéro INSEE invalide : seuls des chiffres (et 2A ou 2B) sont permis."),
            code="invalid_insee",
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(
            _("Numéro INSEE invalide : la clé de contrôle est fausse."), code="invalid_insee"
        ) from error


def validate_landline(value: str) -> None:
    number = parse_phone(value)
    if number is None:
        raise ValidationError(_("Numéro de téléphone fixe invalide."), code="invalid_phone")
    if phonenumbers.number_type(number) not in _LANDLINE_TYPES:
        raise ValidationError(
            _("Ce numéro n'est pas celui d'une ligne fixe."), code="not_a_landline"
        )


def validate_mobile(value: str) -> None:
    number = parse_phone(value)
    if number is None:
        raise ValidationError(_("Numéro de mobile invalide."), code="invalid_phone")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(_("Ce numéro n'est pas un numéro de mobile."), code="not_a_mobile")


def validate_department(value: str) -> None:
    if value not in DEPARTMENTS:
        raise ValidationError(
            _("Département inconnu : « %(value)s » (exemples : 75, 2A, 971)."),
            code="invalid_department",
            params={"value": value},
        )


def validate_practice_code(value: str) -> None:
    if not _PRACTICE_CODE.fullmatch(value):
        raise ValidationError(
            _("Le code de l'étude ne doit contenir que des chiffres."), code="invalid_code"
        )


def validate_return_label(value: str) -> None:
    """The label goes into file names: capitals, digits and underscores only."""
    if not _RETURN_LABEL.fullmatch(value):
        raise ValidationError(
            _("Seuls les majuscules sans accent, les chiffres et « _ » sont permis."),
            code="invalid_return_label",
        )
