"""*Lire le journal* (F7.4): the vault's journal entries in French words, and its CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securact.evidence.journal import PLATFORM_ACTOR
from securact.evidence.models import JournalEntry
from securact.vault.journaling import VaultAction
from securact.vault.models import Vault, VaultOperation

ACTION_LABELS: dict[str, Promise] = {
    VaultAction.DEPOSITED: gettext_lazy("Dépôt"),
    VaultAction.READ: gettext_lazy("Lecture"),
    VaultAction.DOWNLOADED: gettext_lazy("Téléchargement"),
    VaultAction.MOVED: gettext_lazy("Déplacement"),
    VaultAction.RENAMED: gettext_lazy("Renommage"),
    VaultAction.PROPERTIES: gettext_lazy("Modification des propriétés"),
    VaultAction.TRANSFERRED: gettext_lazy("Transfert d'une copie"),
    VaultAction.DELETED: gettext_lazy("Suppression"),
    VaultAction.DELETION_REFUSED: gettext_lazy("Suppression refusée"),
    VaultAction.HOLD_SET: gettext_lazy("Gel juridique posé"),
    VaultAction.HOLD_RELEASED: gettext_lazy("Gel juridique levé"),
    VaultAction.PROOF: gettext_lazy("Preuve délivrée"),
    VaultAction.ALTERED: gettext_lazy("Contrôle : contenu altéré"),
    VaultAction.MISSING: gettext_lazy("Contrôle : contenu introuvable"),
    VaultAction.UNREADABLE: gettext_lazy("Contrôle : contenu illisible"),
    VaultAction.FOLDER_CREATED: gettext_lazy("Création de dossier"),
    VaultAction.FOLDER_RENAMED: gettext_lazy("Renommage de dossier"),
    VaultAction.FOLDER_DELETED: gettext_lazy("Suppression de dossier"),
    VaultAction.QUOTA_EXCEEDED: gettext_lazy("Quota dépassé"),
    VaultAction.AUDITED: gettext_lazy("Contrôle d'intégrité"),
}


def action_label(action: str) -> str:
    """The French words for an action code (the code itself if it has none)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def actor_label(actor: str) -> str:
    return _("la plateforme") if actor == PLATFORM_ACTOR else actor


def entry_file_path(data: dict[str, Any]) -> str:
    name = data.get("name")
    if not name:
        return str(data.get("folder", ""))
    return f"{data.get('folder', '/')}{name}"


CSV_CHUNK = 2000


def _line(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(row)
    return buffer.getvalue()


def vault_journal_csv(vault: Vault) -> Iterator[str]:
    """The vault's journal as CSV lines, oldest entry first, streamed (for a
    ``StreamingHttpResponse``). Semicolon-separated and starting with a UTF-8 byte-order mark,
    as French spreadsheets expect; dates in local time."""
    header = [
        _("N° d'entrée"),
        _("Date"),
        _("Acteur (empreinte du certificat)"),
        _("Action"),
        _("Fichier"),
        _("Empreinte SHA-256 du fichier"),
        _("Empreinte de l'entrée (SHA-256)"),
    ]
    yield "\ufeff" + _line(header)
    sequences = VaultOperation.objects.filter(vault=vault).values("journal_sequence")
    entries = (
        JournalEntry.objects.filter(sequence__in=sequences)
        .order_by("sequence")
        .iterator(chunk_size=CSV_CHUNK)
    )
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        yield _line(
            [
                str(entry.sequence),
                timezone.localtime(entry.recorded_at).strftime("%d/%m/%Y %H:%M:%S"),
                actor_label(entry.actor),
                action_label(entry.action),
                entry_file_path(data),
                str(data.get("sha256", "")),
                entry.entry_hash,
            ]
        )
