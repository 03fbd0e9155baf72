"""Arguments of the alert services for one typical deposit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

GATEWAY_TOKEN = "test-gateway-token-5f2c"


def email_alert(**changes: Any) -> dict[str, Any]:
    """Arguments of ``send_deposit_email`` for one deposit; override any with ``changes``."""
    return {
        "signification_id": 4242,
        "to": "significations@banque-test.example",
        "practice": "Étude Martin & Associés",
        "bailiff": "Maître Claire Martin",
        "recipient_name": "Banque Test",
        "reference": "SAT-2025-0117",
        "nature_label": "Saisie-attribution",
        "deposited_names": ["9991_SAT-2025-0117_20250115_140500.pdf"],
        # 13:05 UTC in January is 14:05 in Paris.
        "deposited_at": datetime(2025, 1, 15, 13, 5, 0, tzinfo=UTC),
        "link": "https://securact.example/destinataire/significations/4242/",
        **changes,
    }


def sms_alert(**changes: Any) -> dict[str, Any]:
    """Arguments of ``send_deposit_sms`` for one deposit; override any with ``changes``."""
    return {
        "signification_id": 4242,
        "to": "+33612345678",
        "practice": "Étude Martin & Associés",
        "reference": "SAT-2025-0117",
        "link": "https://securact.example/s/4242/",
        **changes,
    }
