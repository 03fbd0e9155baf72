"""The one service call (web form, EDI, command line) asks for the act's essential elements
when the nature needs a data message, refuses in French naming the field, and keeps them
with the signification when they are right."""

from __future__ import annotations

import io

import pikepdf
import pytest

from securact.datamessage.models import ActElements
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.significations.models import Signification
from securact.significations.services import IncomingFile, ServiceRefused
from securact.vault.models import Vault
from securact.workflow.recording import create_signification
from tests.datamessage.samples import company_elements, person_elements

pytestmark = pytest.mark.django_db

CREDIT_DEMO = "99999002100019"  # accepts the garnishments at any legal time
BANQUE_TEST = "99999001300016"  # accepts the mainlevée at any legal time


def _pdf() -> io.BytesIO:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    buffer.seek(0)
    return buffer


def _serve(
    nature: str, reference: str = "REF-DM-1", siret: str = CREDIT_DEMO, **kwargs: object
) -> Signification:
    vault = Vault.objects.select_related("bailiff").get(owner_kind="bailiff")
    bailiff: Bailiff = vault.bailiff  # type: ignore[assignment]
    return create_signification(
        bailiff=bailiff,
        actor_fingerprint=vault.certificate_fingerprint or "",
        recipient=Recipient.objects.get(siret=siret),
        nature=ActNature.objects.get(code=nature),
        reference=reference,
        files=[IncomingFile(_pdf(), "acte.pdf")],
        signing_certificate=b"",
        signing_token_label="t",
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_garnishment_without_its_elements_is_refused(declared_bailiff, service_dirs) -> None:
    with pytest.raises(ServiceRefused) as refused:
        _serve("saisie-attribution")

    assert refused.value.field == "debtor_kind"
    assert refused.value.message.startswith(
        "Les données de l'acte sont obligatoires pour la nature « Procès-verbal de saisie "
    )
    assert Signification.objects.count() == 0


@pytest.mark.parametrize(
    ("elements", "field", "message"),
    [
        (
            person_elements(debtor_birth_date="2999-01-01"),
            "debtor_birth_date",
            "Données de l'acte — Date de naissance : La date de naissance ne peut pas être "
            "dans le futur.",
        ),
        (
            company_elements(debtor_siren="732829321"),
            "debtor_siren",
            "Données de l'acte — SIREN du débiteur : Ce SIREN est invalide : sa clé de "
            "contrôle ne correspond pas.",
        ),
        (
            person_elements(costs="-1"),
            "costs",
            "Données de l'acte — Frais (€) : Le montant ne peut pas être négatif.",
        ),
        (
            person_elements(debtor_surname=""),
            "debtor_surname",
            "Données de l'acte — Nom du débiteur : Saisissez le nom du débiteur.",
        ),
    ],
)
def test_invalid_elements_are_refused_naming_the_field(
    declared_bailiff, service_dirs, elements, field, message
) -> None:
    with pytest.raises(ServiceRefused) as refused:
        _serve("saisie-attribution", elements=elements)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert Signification.objects.count() == 0
    assert ActElements.objects.count() == 0


def test_elements_are_kept_with_the_signification(declared_bailiff, service_dirs) -> None:
    signification = _serve("saisie-attribution", elements=person_elements())

    kept = ActElements.objects.get(signification=signification)
    assert (kept.debtor_surname, kept.creditor_siren, str(kept.total)) == (
        "MARTIN",
        "552120222",
        "1396.86",
    )


def test_a_nature_without_data_message_needs_no_elements(declared_bailiff, service_dirs) -> None:
    signification = _serve("mainlevee", siret=BANQUE_TEST)

    assert not ActElements.objects.filter(signification=signification).exists()


def test_a_misspelt_key_is_refused_not_dropped(declared_bailiff, service_dirs) -> None:
    elements = person_elements()
    elements["debitor_surname"] = elements.pop("debtor_surname")

    with pytest.raises(ServiceRefused) as refused:
        _serve("saisie-attribution", elements=elements)

    assert refused.value.message == "Données de l'acte — champ inconnu : debitor_surname."
