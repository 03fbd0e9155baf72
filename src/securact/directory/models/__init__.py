"""The directory: practices and bailiffs, recipients, act natures and their consent (F3.1–F3.3).

A recipient accepts act natures (``AcceptedNature``, the record of its consent, art. 748-2
CPC); each accepted nature may restrict service to weekday hour windows (``ServiceWindow``).

Django loads this package; the classes live in its modules (``fields``, ``practices``,
``recipients``) and are re-exported here. The fields keep their public path
``securact.directory.models.<Field>`` in migrations (``NormalizedCharField.deconstruct``).
"""

from __future__ import annotations

from securact.directory.models.fields import (
    DepartmentField,
    InseeField,
    LandlineField,
    MobileField,
    NormalizedCharField,
    SiretField,
)
from securact.directory.models.practices import ActNature, Bailiff, Practice
from securact.directory.models.recipients import (
    AcceptedNature,
    Recipient,
    RecipientSearchTerm,
    ServiceWindow,
    Weekday,
)

__all__ = [
    "AcceptedNature",
    "ActNature",
    "Bailiff",
    "DepartmentField",
    "InseeField",
    "LandlineField",
    "MobileField",
    "NormalizedCharField",
    "Practice",
    "Recipient",
    "RecipientSearchTerm",
    "ServiceWindow",
    "SiretField",
    "Weekday",
]
