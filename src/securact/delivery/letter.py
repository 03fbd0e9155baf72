"""The ordinary letter (art. 662-1 CPC) the bailiff posts after a delivery *à domicile*, and
the parties named on it and on the other delivery documents."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings

from securact.delivery.documents import LetterContent, Parties
from securact.delivery.services import letter_due_date
from securact.significations.models import DeliveryState, Signification


class NotAtHome(Exception):
    """The ordinary letter exists only for a signification delivered *à domicile*."""


def parties_of(signification: Signification) -> Parties:
    practice, recipient = signification.practice, signification.recipient
    return Parties(
        practice_code=practice.code,
        practice_name=practice.name,
        bailiff_name=signification.bailiff.full_name,
        recipient_name=recipient.name,
        recipient_siret=recipient.siret,
        recipient_address=recipient.address.strip(),
    )


def ordinary_letter(signification: Signification) -> bytes:
    """The pre-filled letter (PDF) the bailiff sends on the next *jour ouvrable* after a
    delivery *à domicile*; made on demand, never stored (it is not evidence: the posting is
    the bailiff's act). Raises :class:`NotAtHome` for any other delivery state."""
    from securact.delivery.documents import render_letter

    if (
        signification.delivery_state != DeliveryState.AT_HOME
        or signification.sent_at is None
        or signification.delivery_deadline is None
    ):
        raise NotAtHome(signification.pk)
    content = LetterContent(
        platform=settings.SECURACT_PLATFORM_NAME,
        public_url=f"{settings.SECURACT_PUBLIC_URL.rstrip('/')}/",
        reference=signification.reference,
        nature=signification.nature.label,
        parties=parties_of(signification),
        act_names=tuple(
            name for name in signification.acts.values_list("deposited_name", flat=True) if name
        ),
        sent_at=signification.sent_at,
        deadline=signification.delivery_deadline,
        letter_due=letter_due_date(signification.sent_at, signification.recipient.department),
    )
    buffer = BytesIO()
    render_letter(content, buffer)
    return buffer.getvalue()
