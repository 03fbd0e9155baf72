"""``securact expire_drafts``: remove now the abandoned drafts (as the workers do)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from securact.significations.draft_expiry import expire_drafts


class Command(BaseCommand):
    help = "Supprime les brouillons de signification abandonnés (SECURACT_DRAFT_TTL_HOURS)."

    def handle(self, *args: Any, **options: Any) -> None:
        removed, hours = expire_drafts(), settings.SECURACT_DRAFT_TTL_HOURS
        self.stdout.write(f"{removed} brouillon(s) de plus de {hours:g} h supprimé(s).")
