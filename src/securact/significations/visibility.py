"""Which journal entries of a signification its recipient sees: its portal's history, its
evidence bundle, its proofs and its reversibility export all use this one rule.

The recipient sees the deposit, the alerts it received, the deposit certificate, its own
downloads and acknowledgment, the delivery decision, and every event of the act returns and
the data message (their action codes start with one of ``SHOWN_ACTION_PREFIXES``). The bailiff's
own events (the submission with the original file names, the archive in the bailiff's
vault, failed alerts) stay on the bailiff's side.
"""

from __future__ import annotations

from django.db.models import Q

from securact.evidence.journal import Action

RECIPIENT_HISTORY_ACTIONS = frozenset(
    {
        Action.DEPOSITED,
        Action.EMAIL_SENT,
        Action.SMS_SENT,
        Action.DEPOSIT_CERTIFICATE_CREATED,
        Action.OPENED,
        Action.DOWNLOADED,
        Action.ACKNOWLEDGED,
        Action.DELIVERED_IN_PERSON,
        Action.DELIVERED_AT_HOME,
    }
)
SHOWN_ACTION_PREFIXES = ("act_return.", "data_message.")


def recipient_history_q() -> Q:
    """The journal entries (of its significations) a recipient sees."""
    shown = Q(action__in=RECIPIENT_HISTORY_ACTIONS)
    for prefix in SHOWN_ACTION_PREFIXES:
        shown |= Q(action__startswith=prefix)
    return shown


def recipient_sees(action: str) -> bool:
    return action in RECIPIENT_HISTORY_ACTIONS or action.startswith(SHOWN_ACTION_PREFIXES)
