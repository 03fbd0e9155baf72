"""What a reversibility export holds for one owner (contract §6): the vaults it reads and the
journal entries that concern it.

=============  ===================================  =========================================
scope          vaults                               journal entries
=============  ===================================  =========================================
practice       every bailiff's vault of the         every entry of its significations, every
               practice                             operation on those vaults
bailiff        his own vault                        every entry of his significations, every
                                                    operation on his vault
recipient      its vault                            the entries of the significations served
                                                    on it that its portal shows
                                                    (``significations.visibility``), every
                                                    operation on its vault, its consent
                                                    changes (``recipient.*`` with its SIRET)
=============  ===================================  =========================================
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from securact.bundles.models import ExportRequest
from securact.core.errors import Refusal
from securact.directory.models import Bailiff, Practice, Recipient
from securact.directory.validators import compact_identifier
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification
from securact.significations.visibility import recipient_history_q
from securact.vault.models import Vault, VaultOperation


class ExportRefused(Refusal):
    """The export cannot be made as asked (unknown owner, folder not empty); French."""


@dataclass(frozen=True)
class ExportScope:
    kind: str  # ExportRequest.Scope
    label: str  # French, for the bag's metadata and the report
    identifier: str  # the practice's code, the bailiff's id, the recipient's SIRET
    practice: Practice | None = None
    bailiff: Bailiff | None = None
    recipient: Recipient | None = None

    def vaults(self) -> QuerySet[Vault]:
        if self.practice is not None:
            return Vault.objects.filter(bailiff__practice=self.practice)
        if self.bailiff is not None:
            return Vault.objects.filter(bailiff=self.bailiff)
        return Vault.objects.filter(recipient=self.recipient)

    def _significations(self) -> QuerySet[Signification]:
        if self.practice is not None:
            return Signification.objects.filter(practice=self.practice)
        if self.bailiff is not None:
            return Signification.objects.filter(bailiff=self.bailiff)
        return Signification.objects.filter(recipient=self.recipient)

    def entries(self) -> QuerySet[JournalEntry]:
        """The journal entries concerning the owner, oldest first."""
        ids = self._significations().values("pk")
        of_significations = Q(signification_id__in=ids)
        if self.recipient is not None:
            of_significations &= recipient_history_q()
        operations = VaultOperation.objects.filter(vault__in=self.vaults()).values(
            "journal_sequence"
        )
        wanted = of_significations | Q(sequence__in=operations)
        if self.recipient is not None:
            wanted |= Q(action__startswith="recipient.", data__siret=self.recipient.siret)
        return JournalEntry.objects.filter(wanted).order_by("sequence")


def practice_scope(code: str) -> ExportScope:
    practice = Practice.objects.filter(code=code.strip()).first()
    if practice is None:
        raise ExportRefused(gettext("Aucune étude ne porte le code « %(code)s ».") % {"code": code})
    return ExportScope(
        ExportRequest.Scope.PRACTICE,
        gettext("Étude %(code)s — %(name)s") % {"code": practice.code, "name": practice.name},
        practice.code,
        practice=practice,
    )


def bailiff_scope(bailiff: Bailiff) -> ExportScope:
    return ExportScope(
        ExportRequest.Scope.BAILIFF,
        gettext("%(name)s, étude %(code)s")
        % {"name": bailiff.full_name, "code": bailiff.practice.code},
        str(bailiff.pk),
        bailiff=bailiff,
    )


def recipient_scope(siret: str) -> ExportScope:
    recipient = Recipient.objects.filter(siret=compact_identifier(siret)).first()
    if recipient is None:
        raise ExportRefused(
            gettext("Aucun destinataire ne porte le SIRET « %(siret)s ».") % {"siret": siret}
        )
    return ExportScope(
        ExportRequest.Scope.RECIPIENT,
        gettext("%(name)s (SIRET %(siret)s)") % {"name": recipient.name, "siret": recipient.siret},
        recipient.siret,
        recipient=recipient,
    )


def scope_of(request: ExportRequest) -> ExportScope:
    if request.practice is not None:
        return practice_scope(request.practice.code)
    if request.bailiff is not None:
        return bailiff_scope(request.bailiff)
    if request.recipient is not None:
        return recipient_scope(request.recipient.siret)
    raise ExportRefused(gettext("Export sans titulaire."))  # pragma: no cover - constraint
