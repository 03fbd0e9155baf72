"""``{{ stored|fixity_warning }}``: the owner's warning on a file whose last fixity audit found
a problem (``vault.fixity_warning.file_warning``), empty otherwise. Most pages include
``vault/fixity_warning.html`` with ``stored=…`` rather than using the filter alone."""

from __future__ import annotations

from django import template

from securact.vault.fixity_warning import file_warning
from securact.vault.models import StoredFile

register = template.Library()


@register.filter
def fixity_warning(stored: StoredFile | None) -> str:
    if stored is None:
        return ""
    return file_warning(stored) or ""
