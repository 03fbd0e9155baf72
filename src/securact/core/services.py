"""Legal clock: may this recipient be served this act nature at this instant?

``can_serve`` combines the recipient's accepted service-hour windows (F3.3) with the legal
calendar of ``legal_calendar`` (art. 664 CPC). It depends on the recipient only through the
``ServableRecipient`` protocol so that ``core`` does not import the directory app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from securact.core.legal_calendar import (
    CODE_NATURE_NOT_ACCEPTED,
    HourWindow,
    ServiceDecision,
    check_legal_time,
    check_windows,
    local_zone,
    refused,
    require_aware,
)

NatureT = TypeVar("NatureT")
NatureT_contra = TypeVar("NatureT_contra", contravariant=True)


class ServableRecipient(Protocol[NatureT_contra]):
    """What ``can_serve`` needs from a recipient (the directory app's ``Recipient``).

    Generic in the act nature's type so that an implementation may type its parameter as
    its own model (``service_windows_for(self, nature: ActNature)``).
    """

    @property
    def department(self) -> str:
        """The department of the recipient's address ("75", "2A", "57", "971", …)."""
        ...

    def service_windows_for(self, nature: NatureT_contra, /) -> Sequence[HourWindow] | None:
        """The windows for ``nature``: None if not accepted, empty if accepted at any time."""
        ...


def can_serve(
    recipient: ServableRecipient[NatureT], nature: NatureT, at: datetime | None = None
) -> ServiceDecision:
    """F3.3: may ``nature`` be served on ``recipient`` at ``at`` (default: now)?

    Checked in this order, the first refusal wins: the recipient accepts the nature (art. 748-2
    CPC, consent by kind of act); the legal calendar of art. 664 CPC, each rule relaxable by
    the ``SECURACT_ENFORCE_*`` settings (read at call time); the recipient's service hours.
    Everything is judged in the recipient's local zone.
    """
    moment = require_aware(timezone.now() if at is None else at)
    windows = recipient.service_windows_for(nature)
    if windows is None:
        return refused(
            CODE_NATURE_NOT_ACCEPTED, gettext("Ce destinataire n'accepte pas ce type d'acte.")
        )
    legal = check_legal_time(
        moment,
        recipient.department,
        enforce_hours=settings.SECURACT_ENFORCE_LEGAL_HOURS,
        enforce_sundays=settings.SECURACT_ENFORCE_SUNDAYS,
        enforce_holidays=settings.SECURACT_ENFORCE_HOLIDAYS,
    )
    if not legal.allowed:
        return legal
    return check_windows(moment.astimezone(local_zone(recipient.department)), windows)
