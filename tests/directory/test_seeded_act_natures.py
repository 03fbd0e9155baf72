"""The data migration seeds the act natures served on banks and the manual's examples."""

import pytest

from securact.directory.models import ActNature


@pytest.mark.django_db
def test_the_natures_of_legal_md_are_seeded() -> None:
    assert set(ActNature.objects.values_list("code", flat=True)) >= {
        "saisie-attribution",
        "saisie-conservatoire-creances",
        "conversion-saisie-conservatoire",
        "certificat-non-contestation",
        "mainlevee",
        "mainlevee-quittance",
        "saisie-droits-associes-valeurs-mobilieres",
        "saisie-vente",
        "signification-jugement",
    }


@pytest.mark.django_db
def test_the_natures_answered_by_the_bank_expect_a_return() -> None:
    expecting = ActNature.objects.filter(expects_return=True).values_list("code", flat=True)
    assert set(expecting) == {
        "saisie-attribution",
        "saisie-conservatoire-creances",
        "saisie-droits-associes-valeurs-mobilieres",
    }


@pytest.mark.django_db
def test_the_garnishment_has_the_manuals_label_and_return_name() -> None:
    nature = ActNature.objects.get(code="saisie-attribution")
    assert nature.label == (
        "Procès-verbal de saisie attribution (auprès d'un établissement habilité à tenir "
        "des comptes de dépôt)"
    )
    assert nature.return_label == "SAISIE_ATTRIBUTION"


@pytest.mark.django_db
def test_seeded_natures_are_active_valid_and_ordered() -> None:
    natures = list(ActNature.objects.all())
    assert natures[0].code == "saisie-attribution"
    for nature in natures:
        assert nature.is_active
        nature.full_clean()
