"""What the owner is told on a file whose last fixity audit found a problem (F7.4)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from securact.vault.models import StoredFile

PARIS = ZoneInfo("Europe/Paris")
Fixity = StoredFile.Fixity

WARNINGS: dict[str, Any] = {
    Fixity.ALTERED: gettext_lazy(
        "Contrôle d'intégrité du %(date)s : le contenu de ce fichier ne correspond plus à "
        "l'empreinte enregistrée lors de son dépôt."
    ),
    Fixity.MISSING: gettext_lazy(
        "Contrôle d'intégrité du %(date)s : le contenu de ce fichier est introuvable."
    ),
    Fixity.UNREADABLE: gettext_lazy(
        "Contrôle d'intégrité du %(date)s : le contenu de ce fichier n'a pas pu être relu."
    ),
}


def file_warning(stored: StoredFile) -> str | None:
    """What the owner is told on a file whose last audit found a problem (French), or None."""
    warning = WARNINGS.get(stored.fixity_state)
    if warning is None:
        return None
    checked = stored.fixity_checked_at
    date = formats.date_format(timezone.localtime(checked, PARIS), "d/m/Y H:i") if checked else "—"
    return " ".join(
        [
            str(warning) % {"date": date},
            gettext(
                "Rien n'a été corrigé automatiquement : l'incident est consigné dans le journal "
                "du coffre-fort et signalé aux opérateurs de SECURACT."
            ),
        ]
    )
