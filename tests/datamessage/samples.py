"""Valid essential elements, as the web form posts them and the command line's JSON holds
them; tests change one field to see it refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from securact.datamessage.message import (
    Amounts,
    Company,
    DataMessageData,
    Person,
    ServedAct,
    Title,
)

# Real-looking SIREN numbers with a valid Luhn key (python-stdnum accepts them).
DEBTOR_SIREN = "732829320"
CREDITOR_SIREN = "552120222"


def person_elements(**changes: object) -> dict[str, object]:
    elements: dict[str, object] = {
        "debtor_kind": "personne-physique",
        "debtor_surname": "MARTIN",
        "debtor_given_names": "Jean Pierre",
        "debtor_birth_date": "1980-05-02",
        "debtor_birth_place": "Lyon (69)",
        "creditor_name": "SA Crédit Exemple",
        "creditor_siren": CREDITOR_SIREN,
        "title_kind": "jugement",
        "title_issuer": "Tribunal judiciaire de Paris",
        "title_date": "2025-01-10",
        "title_reference": "RG 24/01234",
        "principal": "1234.56",
        "interest": "12.00",
        "costs": "150.30",
    }
    elements.update(changes)
    return elements


def company_elements(**changes: object) -> dict[str, object]:
    elements = person_elements(
        debtor_kind="personne-morale",
        debtor_surname="",
        debtor_given_names="",
        debtor_birth_date="",
        debtor_birth_place="",
        debtor_company_name="SARL Débitrice & Fils",
        debtor_siren=DEBTOR_SIREN,
    )
    elements.update(changes)
    return elements


def message_data(siret: str, *, debtor: Person | Company | None = None) -> DataMessageData:
    """A garnishment's data message for the demo bank (its SIRET given)."""
    return DataMessageData(
        platform="SECURACT",
        signification_id=42,
        deposit_reference="REF-2025-0042",
        practice_code="9991",
        practice_name="SCP Durand & Martin, commissaires de justice associés",
        nature_code="saisie-attribution",
        nature_label="Procès-verbal de saisie attribution",
        recipient_name="BANQUE TEST",
        recipient_siret=siret,
        sent_at=datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC),
        acts=(
            ServedAct("9991_REF-2025-0042_20250314_102653.pdf", 48213, "1f" * 32),
            ServedAct("9991_REF-2025-0042_20250314_102653_2.pdf", 9021, "e0" * 32),
        ),
        debtor=debtor or Person("MARTIN", "Jean Pierre", date(1980, 5, 2), "Lyon (69)"),
        creditor_name="SA Crédit Exemple",
        creditor_siren=CREDITOR_SIREN,
        title=Title("jugement", "Tribunal judiciaire de Paris", date(2025, 1, 10), "RG 24/01234"),
        amounts=Amounts(Decimal("1234.56"), Decimal("12"), Decimal("150.3")),
    )
