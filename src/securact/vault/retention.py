"""How long evidence is kept (F7.4), and the rule that refuses an early deletion.

Defaults, per kind, with their source (README, "Vault"):

- acts, their detached signatures, deposit and delivery certificates, data messages and the
  bailiff's archives: 25 years. They are the *minutes* of a commissaire de justice, public
  archives (Code du patrimoine, art. L.211-4) which he must keep 25 years before handing
  them to the departmental archives (art. R.212-15); none may be destroyed without the
  archives director's visa (art. R.212-14).
- act returns (the bank's answer): 5 years, the common limitation period of the actions they
  may prove (Code civil, art. 2224; Code de commerce, art. L.110-4).
- the owner's own files: no retention, he may delete them.

``SECURACT_VAULT_RETENTION_YEARS`` overrides a kind's default. The end is fixed at deposit
(``StoredFile.retain_until``): changing the setting later never shortens a stored file's.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from securact.core.errors import Refusal
from securact.vault.models import EVIDENCE_KINDS, StoredFile

MINUTES_YEARS = 25
RETURN_YEARS = 5

DEFAULT_YEARS: dict[str, int] = {
    **{kind: MINUTES_YEARS for kind in EVIDENCE_KINDS},
    StoredFile.Kind.ACT_RETURN: RETURN_YEARS,
}

SOURCES: dict[str, str] = {
    **{kind: "Code du patrimoine, art. L.211-4, R.212-14 et R.212-15" for kind in EVIDENCE_KINDS},
    StoredFile.Kind.ACT_RETURN: "Code civil, art. 2224 ; Code de commerce, art. L.110-4",
}


class RetentionNotOver(Refusal):
    """An evidence file may not be deleted yet; ``message`` says why, in French."""


def retention_years(kind: str) -> int | None:
    """Years a file of this kind is kept, or None when its owner may delete it at will."""
    configured: dict[str, int] = settings.SECURACT_VAULT_RETENTION_YEARS
    if kind in configured:
        return configured[kind] or None
    return DEFAULT_YEARS.get(kind)


def retention_end(kind: str, deposited_at: datetime) -> datetime | None:
    years = retention_years(kind)
    if years is None:
        return None
    try:
        return deposited_at.replace(year=deposited_at.year + years)
    except ValueError:  # 29 February
        return deposited_at.replace(year=deposited_at.year + years, day=28)


def ensure_deletable(stored: StoredFile, *, now: datetime | None = None) -> None:
    """Refuse, in French, to delete a file under legal hold or before its retention end."""
    if stored.legal_hold:
        reason = stored.legal_hold_reason or _("aucun motif indiqué")
        raise RetentionNotOver(
            _("« %(name)s » est sous gel juridique (%(reason)s) : il ne peut pas être supprimé.")
            % {"name": stored.name, "reason": reason}
        )
    end = stored.retain_until
    if end is not None and (now or timezone.now()) < end:
        raise RetentionNotOver(
            _(
                "« %(name)s » est une pièce probante conservée jusqu'au %(date)s : "
                "elle ne peut pas être supprimée avant cette date."
            )
            % {"name": stored.name, "date": timezone.localtime(end).strftime("%d/%m/%Y")}
        )
