"""Occupation against quota (F7.2, issue 11 item 8).

The owner's own uploads (and transfers into a vault) are refused beyond the quota; the
service process's deposits never are — an act must be served — but the deposit that pushes a
vault over its quota is followed, in the same transaction, by a ``QUOTA_EXCEEDED`` journal
entry (once per crossing), the owner's pages show :func:`quota_warning`, and operators see
the vaults over quota in the admin (*Occupation des coffres-forts*).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from securact.evidence.journal import PLATFORM_ACTOR
from securact.vault.errors import VaultRefusal
from securact.vault.journaling import VaultAction, record
from securact.vault.models import StoredFile, Vault


@dataclass(frozen=True)
class Occupation:
    used_bytes: int
    quota_bytes: int
    files: int  # *compter* (NF Z42-020)

    @property
    def percent(self) -> int:
        """Share of the quota used, in whole percent (may pass 100)."""
        if self.quota_bytes <= 0:
            return 100 if self.used_bytes else 0
        return self.used_bytes * 100 // self.quota_bytes

    @property
    def bar_percent(self) -> int:
        """The same, capped at 100, for a bar's width."""
        return min(self.percent, 100)

    @property
    def over(self) -> bool:
        return self.used_bytes > self.quota_bytes

    @property
    def free_bytes(self) -> int:
        return max(self.quota_bytes - self.used_bytes, 0)


def quota_of(vault: Vault) -> int:
    if vault.quota_bytes is not None:
        return int(vault.quota_bytes)
    return int(settings.SECURACT_VAULT_QUOTA_BYTES)


def used_bytes(vault: Vault) -> int:
    total = StoredFile.objects.filter(vault=vault).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def occupation(vault: Vault) -> Occupation:
    totals = StoredFile.objects.filter(vault=vault).aggregate(total=Sum("size"), files=Count("*"))
    return Occupation(
        used_bytes=int(totals["total"] or 0), quota_bytes=quota_of(vault), files=totals["files"]
    )


# With a context: Django's own French catalogue translates "Go" (a button) as "Envoyer".
UNITS = (
    pgettext_lazy("unité de taille", "octets"),
    pgettext_lazy("unité de taille", "Ko"),
    pgettext_lazy("unité de taille", "Mo"),
    pgettext_lazy("unité de taille", "Go"),
    pgettext_lazy("unité de taille", "To"),
)


def format_size(size: int) -> str:
    """A size as the manual shows it (``27,19 Ko``), in the active language's number format."""
    if size < 1024:
        return _("%(size)d octets") % {"size": size}
    value, unit = float(size), 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{number_format(round(value, 2), 2)} {UNITS[unit]}"


def quota_warning(vault: Vault, current: Occupation | None = None) -> str | None:
    """French text for the owner's pages while the vault is over its quota, else None."""
    current = current or occupation(vault)
    if not current.over:
        return None
    return _(
        "Votre coffre-fort dépasse son quota : %(used)s occupés pour %(quota)s autorisés "
        "(%(percent)d %%). Les dépôts du service de signification (actes, attestations, "
        "retours) continuent d'y être faits, mais vous ne pouvez plus y ajouter de fichiers : "
        "supprimez vos propres fichiers devenus inutiles ou demandez à l'administrateur "
        "d'augmenter le quota."
    ) % {
        "used": format_size(current.used_bytes),
        "quota": format_size(current.quota_bytes),
        "percent": current.percent,
    }


def ensure_room(vault: Vault, size: int, *, target: bool = False) -> None:
    """Refuse, in French, to add ``size`` bytes by a person's hand (an upload; a transfer
    into ``vault``, ``target``) beyond the quota."""
    current = occupation(vault)
    if current.used_bytes + size > current.quota_bytes:
        if target:
            message = _(
                "Le quota du coffre-fort destinataire serait dépassé : %(size)s à ajouter, "
                "%(free)s disponibles sur %(quota)s."
            )
        else:
            message = _(
                "Le quota de votre coffre-fort serait dépassé : %(size)s à ajouter, %(free)s "
                "disponibles sur %(quota)s. Supprimez des fichiers devenus inutiles ou "
                "demandez à l'administrateur d'augmenter le quota."
            )
        raise VaultRefusal(
            message
            % {
                "size": format_size(size),
                "free": format_size(current.free_bytes),
                "quota": format_size(current.quota_bytes),
            },
            field="file",
        )


def note_deposit(vault: Vault, stored: StoredFile) -> None:
    """After a deposit (in its transaction, after its journal entry): if this file is the one
    that pushed the vault over its quota, journal it once (``QUOTA_EXCEEDED``).

    Deposits are serialised by the journal's lock (taken by the deposit's entry and held until
    commit), so each sees the files committed before it: exactly one deposit crosses.
    """
    quota = quota_of(vault)
    used = used_bytes(vault)
    if used > quota >= used - stored.size:
        record(
            vault,
            VaultAction.QUOTA_EXCEEDED,
            actor=PLATFORM_ACTOR,
            stored=stored,
            data={"used_bytes": used, "quota_bytes": quota},
        )
