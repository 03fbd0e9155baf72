"""The *fiche détaillée* shows the manual's sections from the signification's rows:
(1) the act in the recipient's vault, (2) the deposit certificate in the bailiff's vault with
its downloads, and honest "pas encore" states for (3) the delivery receipt and (4) the act
return, which come with the recipient side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.directory.models import Recipient
from tests.web.test_search_support import (
    archive,
    bailiff_named,
    get,
    make_signification,
    record_history,
)


def _section(page: str, number: str) -> str:
    return page.split(f'id="section-{number}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_sections_one_and_two_come_from_the_rows(signed_in, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    signification = make_signification(
        durand,
        "TEST_MODALITE_REMISE_1",
        sent_at=datetime(2026, 1, 17, 13, 52, 55, tzinfo=UTC),  # 14:52:55 in Paris
        files=("pv.pdf", "annexe.docx"),
    )
    archived = archive(signification, tmp_path / "work")
    record_history(signification, archived)
    bank = Recipient.objects.get(name="BANQUE TEST")

    response = get(client, f"/significations/{signification.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    one, two = _section(page, "1"), _section(page, "2")
    assert "Acte signifié dans le coffre-fort destinataire" in one
    assert "<strong>TEST_MODALITE_REMISE_1</strong>" in one
    assert "17/01/2026 14:52:55" in one
    assert "9991_TEST_MODALITE_REMISE_1_20260117_145255.pdf" in one
    assert "9991_TEST_MODALITE_REMISE_1_20260117_145255_2.pdf" in one
    assert "Procès-verbal de saisie attribution" in one
    assert "Acte(s) en attente de consultation par le destinataire" in one
    assert f"<strong>BANQUE TEST</strong> (N° SIRET {bank.siret})" in one

    assert "Attestation de dépôt dans votre coffre-fort" in two
    assert "17/01/2026 14:52:55" in two
    assert f"<strong>{archived.archive.name}</strong>" in two
    assert f'href="/significations/{signification.pk}/fichiers/{archived.archive.pk}/"' in two
    assert "<strong>attestation_depot.xml</strong>" in two
    assert f'href="/significations/{signification.pk}/fichiers/{archived.certificate.pk}/"' in two


@pytest.mark.django_db
def test_delivery_and_return_say_not_yet(signed_in):
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"), "REF_1", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )

    page = get(client, f"/significations/{signification.pk}/").content.decode()

    three, four = _section(page, "3"), _section(page, "4")
    assert "Avis de réception remis dans votre coffre-fort" in three
    assert "9991_REF_1_20260117_140000_REMISE.pdf" in three
    assert "pas encore" in three
    assert "Retour d'acte remis dans votre coffre-fort" in four
    assert "9991_REF_1_20260117_140000_SAISIE_ATTRIBUTION.pdf" in four
    assert "Pas encore de réponse du destinataire" in four


@pytest.mark.django_db
def test_before_the_archive_section_two_says_not_yet(signed_in):
    client = signed_in("bailiff-durand")
    signification = make_signification(bailiff_named("DURAND"), "EN_COURS", sent_at=None)

    page = get(client, f"/significations/{signification.pk}/").content.decode()

    assert "pas encore déposé" in _section(page, "1")
    assert "Pas encore déposé : la signification est en cours" in _section(page, "1")
    assert "/fichiers/" not in page
    assert "pas encore : l'archive ZIP" in _section(page, "2")
