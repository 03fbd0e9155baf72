"""What an operator asks the fixity audit to cover (``securact vault check --vault ID
--sample N``), checked before it starts: a French refusal for what cannot be."""

from __future__ import annotations

from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.vault.models import Vault


class AuditRefused(Refusal):
    """An audit that cannot start (unknown vault, bad sample size); ``message`` in French."""


def find_vault(vault_id: str | int) -> Vault:
    """The vault an operator named on the command line, or a French refusal."""
    try:
        pk = int(vault_id)
    except (TypeError, ValueError):
        pk = 0
    if pk <= 0:
        raise AuditRefused(
            gettext("Numéro de coffre-fort invalide : « %(value)s » (un nombre entier attendu).")
            % {"value": vault_id}
        )
    vault = Vault.objects.select_related("bailiff", "recipient").filter(pk=pk).first()
    if vault is None:
        raise AuditRefused(gettext("Aucun coffre-fort ne porte le numéro %(pk)s.") % {"pk": pk})
    return vault


def sample_size(value: str | int | None) -> int | None:
    """``--sample``: a whole number of files, at least 1; None: every file."""
    if value is None:
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = 0
    if size <= 0:
        raise AuditRefused(
            gettext(
                "Taille d'échantillon invalide : « %(value)s » (un nombre de fichiers, au moins 1)."
            )
            % {"value": value}
        )
    return size
